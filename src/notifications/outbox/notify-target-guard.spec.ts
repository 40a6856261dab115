import * as dns from 'node:dns';

import { request } from 'undici';

import { NotifyReach } from '../../config/gateway-config';
import { assertReachableLiteral, classifyAddress, mayReach, notifyTargetAgent, PrivateTargetError } from './notify-target-guard';

describe('notify target guard (SSRF)', () => {
  it.each([
    // Link-local and cloud metadata, in every spelling an address can take: never reachable.
    ['169.254.169.254', 'forbidden'],
    ['169.254.0.1', 'forbidden'],
    ['100.100.100.200', 'forbidden'],
    ['168.63.129.16', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['febf::1', 'forbidden'],
    ['fd00:ec2::254', 'forbidden'],
    ['::ffff:169.254.169.254', 'forbidden'],
    ['::ffff:a9fe:a9fe', 'forbidden'],
    ['::FFFF:A9FE:A9FE', 'forbidden'],
    ['::ffff:0:a9fe:a9fe', 'forbidden'],
    ['::169.254.169.254', 'forbidden'],
    ['64:ff9b::a9fe:a9fe', 'forbidden'],
    ['64:ff9b::169.254.169.254', 'forbidden'],
    ['2002:a9fe:a9fe::1', 'forbidden'],
    ['::ffff:100.100.100.200', 'forbidden'],
    ['0.0.0.0', 'forbidden'],
    ['::', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['ff02::1', 'forbidden'],
    ['not-an-address', 'forbidden'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.5', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd00::1', 'private'],
    ['fc00::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b:1::808:808', 'private'],
    ['fd00:ec2::253', 'private'],
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::808:808', 'public'],
    ['100.100.100.201', 'private'],
    ['169.253.255.255', 'public'],
    ['169.255.0.0', 'public'],
    ['fec0::1', 'private'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('lets each NOTIFY_PRIVATE_HOSTS reach its classes, and link-local or metadata under none', () => {
    const reachable = (reach: NotifyReach) =>
      ['8.8.8.8', '127.0.0.1', '10.0.0.1', '169.254.169.254', 'fe80::1', '::ffff:a9fe:a9fe', '100.100.100.200', 'fd00:ec2::254'].filter((a) =>
        mayReach(a, reach),
      );
    expect(reachable('public')).toEqual(['8.8.8.8']);
    expect(reachable('loopback')).toEqual(['8.8.8.8', '127.0.0.1']);
    expect(reachable('private')).toEqual(['8.8.8.8', '127.0.0.1', '10.0.0.1']);
  });

  it('refuses a literal address in the URL before any connection, as the URL parser normalises it', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://2852039166/',
      'http://0xa9fea9fe/',
      'http://169.254.43518/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/',
    ]) {
      for (const reach of ['public', 'loopback', 'private'] as const)
        expect(() => assertReachableLiteral(new URL(url), reach)).toThrow(/link-local, cloud metadata/);
    }
    expect(() => assertReachableLiteral(new URL('http://[::1]:8080/notify'), 'public')).toThrow(/private or loopback/);
    expect(() => assertReachableLiteral(new URL('http://[::1]:8080/notify'), 'loopback')).not.toThrow();
    expect(() => assertReachableLiteral(new URL('http://10.0.0.1/notify'), 'loopback')).toThrow(/private or loopback/);
    expect(() => assertReachableLiteral(new URL('https://merchant.example/notify'), 'public')).not.toThrow();
  });

  it('refuses a name that resolves to loopback at connect time when loopback is not allowed', async () => {
    const agent = notifyTargetAgent('public');
    try {
      await expect(request('http://localhost:9/notify', { method: 'POST', body: '{}', dispatcher: agent })).rejects.toThrow(/private or loopback/);
    } finally {
      await agent.close();
    }
  });

  it.each(['loopback', 'private'] as const)(
    'refuses a name that resolves (or re-resolves: DNS rebinding) to link-local, with reach %s',
    async (reach) => {
      // The resolver answers what a rebinding name would at connect time: the metadata address, or a mapped spelling of it.
      const answers: Record<string, dns.LookupAddress[]> = {
        'rebind.example': [{ address: '169.254.169.254', family: 4 }],
        'mapped.example': [{ address: '::ffff:a9fe:a9fe', family: 6 }],
        'mixed.example': [
          { address: '127.0.0.1', family: 4 },
          { address: 'fe80::1', family: 6 },
        ],
      };
      const resolve = ((host: string, _options: unknown, callback: (e: Error | null, a: dns.LookupAddress[]) => void) =>
        callback(null, answers[host])) as unknown as typeof dns.lookup;
      const agent = notifyTargetAgent(reach, resolve);
      try {
        for (const host of Object.keys(answers)) {
          const attempt = request(`http://${host}:9/notify`, { method: 'POST', body: '{}', dispatcher: agent });
          await expect(attempt).rejects.toThrow(PrivateTargetError);
          await expect(attempt).rejects.toThrow(/link-local, cloud metadata/);
        }
      } finally {
        await agent.close();
      }
    },
  );
});
