import * as dns from 'node:dns';
import { BlockList, isIP, LookupFunction } from 'node:net';

import { Agent } from 'undici';

import type { NotifyReach } from '../../config/gateway-config';

/*
 * Where a merchant's notify URL may lead. Merchants choose these URLs (registered with `npm run merchant`, or
 * per request: paymentNotifyUrl, refundNotifyUrl, vaultingNotificationUrl), so delivery must not become a way
 * into the gateway's own network or its cloud's metadata service (SSRF). Every address falls in one class:
 *
 *   forbidden  never, whatever NOTIFY_PRIVATE_HOSTS says: link-local (169.254.0.0/16 with the cloud metadata
 *              address 169.254.169.254, fe80::/10), the other metadata addresses (Alibaba Cloud 100.100.100.200,
 *              AWS IPv6 fd00:ec2::254, Azure's platform address 168.63.129.16), "this host" (0.0.0.0/8, ::, which
 *              connect to loopback), multicast, broadcast and reserved space;
 *   loopback   127.0.0.0/8, ::1: only in development (NotifyReach 'loopback' or 'private');
 *   private    RFC 1918, CGNAT, benchmarking, unique-local IPv6: only with NOTIFY_PRIVATE_HOSTS=allow;
 *   public     everything else.
 *
 * An IPv6 address that carries an IPv4 one (mapped ::ffff:a.b.c.d in either spelling, SIIT, the deprecated
 * compatible ::a.b.c.d, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16) is the class of that IPv4 address,
 * so [::ffff:a9fe:a9fe] is 169.254.169.254.
 */
export type AddressClass = 'forbidden' | 'loopback' | 'private' | 'public';

const FORBIDDEN = blockList(
  [
    ['0.0.0.0', 8],
    ['169.254.0.0', 16],
    ['100.100.100.200', 32],
    ['168.63.129.16', 32],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ],
  [
    ['::', 128],
    ['fe80::', 10],
    ['fd00:ec2::254', 128],
    ['ff00::', 8],
  ],
);
const LOOPBACK = blockList([['127.0.0.0', 8]], [['::1', 128]]);
const PRIVATE = blockList(
  [
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
  ],
  [
    ['fc00::', 7],
    ['fec0::', 10],
  ],
);

/** Which classes each NotifyReach (GatewayConfig.notifyReach, from NOTIFY_PRIVATE_HOSTS) lets a delivery reach. */
const REACHABLE: Record<NotifyReach, ReadonlySet<AddressClass>> = {
  public: new Set(['public']),
  loopback: new Set(['public', 'loopback']),
  private: new Set(['public', 'loopback', 'private']),
};

export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 4) return classOf(address, 'ipv4');
  if (family !== 6) return 'forbidden'; // not an address at all: nothing to connect to
  const embedded = embeddedIPv4(address);
  if (embedded) return embedded.atLeastPrivate ? worst(classOf(embedded.ipv4, 'ipv4'), 'private') : classOf(embedded.ipv4, 'ipv4');
  return classOf(address, 'ipv6');
}

export function mayReach(address: string, reach: NotifyReach): boolean {
  return REACHABLE[reach].has(classifyAddress(address));
}

export class PrivateTargetError extends Error {
  constructor(readonly addressClass: AddressClass) {
    super(
      addressClass === 'forbidden'
        ? 'notify URL leads to a link-local, cloud metadata or reserved address (never allowed)'
        : 'notify URL leads to a private or loopback address (NOTIFY_PRIVATE_HOSTS)',
    );
    this.name = 'PrivateTargetError';
  }
}

/** A literal IP in the URL never reaches `lookup`, so it is checked before connecting. */
export function assertReachableLiteral(url: URL, reach: NotifyReach): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !mayReach(host, reach)) throw new PrivateTargetError(classifyAddress(host));
}

/** The first of `addresses` delivery may not reach, or null: one bad answer refuses the name (any may be the one used). */
export function unreachableAmong(addresses: string[], reach: NotifyReach): PrivateTargetError | null {
  for (const a of addresses) if (!mayReach(a, reach)) return new PrivateTargetError(classifyAddress(a));
  return addresses.length === 0 ? new PrivateTargetError('forbidden') : null;
}

/**
 * The dispatcher every notification goes through, whatever NOTIFY_PRIVATE_HOSTS says. The check sits in the
 * connection's DNS lookup: the address checked is the address connected to, so a name that re-resolves to
 * 169.254.169.254 or 10.x between a check and the connect (DNS rebinding) is refused too. `resolve` is
 * dns.lookup; tests give a fake resolver.
 */
export function notifyTargetAgent(reach: NotifyReach, resolve: typeof dns.lookup = dns.lookup): Agent {
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = unreachableAmong(
        list.map((a) => a.address),
        reach,
      );
      if (refused) return callback(refused, '', 0);
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
  return new Agent({ connect: { lookup } });
}

function blockList(v4: Array<[string, number]>, v6: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [net, bits] of v4) list.addSubnet(net, bits, 'ipv4');
  for (const [net, bits] of v6) list.addSubnet(net, bits, 'ipv6');
  return list;
}

function classOf(address: string, family: 'ipv4' | 'ipv6'): AddressClass {
  if (FORBIDDEN.check(address, family)) return 'forbidden';
  if (LOOPBACK.check(address, family)) return 'loopback';
  return PRIVATE.check(address, family) ? 'private' : 'public';
}

const RANK: AddressClass[] = ['public', 'private', 'loopback', 'forbidden'];
function worst(a: AddressClass, b: AddressClass): AddressClass {
  return RANK.indexOf(a) >= RANK.indexOf(b) ? a : b;
}

/**
 * The IPv4 address inside an IPv6 one that carries it, dotted: ::ffff:0:0/96 (mapped), ::ffff:0:0:0/96 (SIIT),
 * ::/96 other than :: and ::1 (compatible), 64:ff9b::/96 (NAT64), 64:ff9b:1::/48 (local NAT64: the network
 * decides where it leads, so private at least), 2002::/16 (6to4, bits 16–47).
 */
function embeddedIPv4(address: string): { ipv4: string; atLeastPrivate: boolean } | null {
  const w = ipv6Words(address);
  if (!w) return null;
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (zero(0, 5) && w[5] === 0xffff) return { ipv4: v4(w[6], w[7]), atLeastPrivate: false };
  if (zero(0, 4) && w[4] === 0xffff && w[5] === 0) return { ipv4: v4(w[6], w[7]), atLeastPrivate: false };
  if (zero(0, 6) && (w[6] !== 0 || w[7] > 1)) return { ipv4: v4(w[6], w[7]), atLeastPrivate: false };
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return { ipv4: v4(w[6], w[7]), atLeastPrivate: false };
  if (w[0] === 0x64 && w[1] === 0xff9b && w[2] === 1) return { ipv4: v4(w[6], w[7]), atLeastPrivate: true };
  if (w[0] === 0x2002) return { ipv4: v4(w[1], w[2]), atLeastPrivate: false };
  return null;
}

/** The eight 16-bit words of an IPv6 address `isIP` accepted (a dotted IPv4 tail becomes the last two). */
function ipv6Words(address: string): number[] | null {
  let a = address.toLowerCase().split('%')[0];
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (dotted) {
    const [b0, b1, b2, b3] = dotted.slice(1).map(Number);
    a = `${a.slice(0, dotted.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const halves = a.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const words = halves.length > 1 ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  return words.length === 8 ? words.map((x) => parseInt(x, 16)) : null;
}
