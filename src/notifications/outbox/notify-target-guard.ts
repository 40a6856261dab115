import * as dns from 'node:dns';
import { BlockList, LookupFunction, isIP } from 'node:net';
import { Agent } from 'undici';

/** Where a merchant's notify URL must not lead: this host, private networks, link-local (cloud metadata), multicast. */
const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

export class PrivateTargetError extends Error {
  constructor() {
    super('notify URL leads to a private or loopback address (NOTIFY_PRIVATE_HOSTS=deny)');
    this.name = 'PrivateTargetError';
  }
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
    return PRIVATE.check(address, 'ipv6');
  }
  return family === 4 ? PRIVATE.check(address, 'ipv4') : true;
}

/** A literal IP in the URL never reaches `lookup`, so it is checked before connecting. */
export function assertPublicLiteral(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isPrivateAddress(host)) throw new PrivateTargetError();
}

/**
 * Merchant notify URLs are the merchant's to choose, so delivery must not become a way into the
 * gateway's own network (SSRF). The check sits in the connection's DNS lookup: the address checked is
 * the address connected to, so a name that re-resolves to 10.x between a check and the connect
 * (DNS rebinding) is refused too.
 */
export function publicOnlyAgent(): Agent {
  const lookup: LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      if (list.length === 0 || list.some((a) => isPrivateAddress(a.address))) return callback(new PrivateTargetError(), '', 0);
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
  return new Agent({ connect: { lookup } });
}
