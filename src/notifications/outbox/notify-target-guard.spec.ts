import { request } from 'undici';
import { PrivateTargetError, assertPublicLiteral, isPrivateAddress, publicOnlyAgent } from './notify-target-guard';

describe('notify target guard (SSRF)', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.20.0.5', true], ['192.168.1.1', true], ['169.254.169.254', true],
    ['100.64.0.1', true], ['0.0.0.0', true], ['::1', true], ['fd00::1', true], ['fe80::1', true], ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true], ['93.184.216.34', false], ['8.8.8.8', false], ['2606:4700:4700::1111', false], ['::ffff:8.8.8.8', false],
  ])('%s private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it('refuses a literal private IP in the URL before any connection', () => {
    expect(() => assertPublicLiteral(new URL('http://169.254.169.254/latest/meta-data'))).toThrow(PrivateTargetError);
    expect(() => assertPublicLiteral(new URL('http://[::1]:8080/notify'))).toThrow(PrivateTargetError);
    expect(() => assertPublicLiteral(new URL('https://merchant.example/notify'))).not.toThrow();
  });

  it('refuses a name that resolves to loopback at connect time', async () => {
    const agent = publicOnlyAgent();
    try {
      await expect(request('http://localhost:9/notify', { method: 'POST', body: '{}', dispatcher: agent })).rejects.toThrow(/private or loopback/);
    } finally {
      await agent.close();
    }
  });
});
