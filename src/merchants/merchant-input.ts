import { createHash, KeyObject } from 'node:crypto';
import * as dns from 'node:dns/promises';
import { isIP } from 'node:net';

import { loadPublicKey, publicKeyToPem } from '../antom/keys';
import type { NotifyReach } from '../config/gateway-config';
import { AddressClass, classifyAddress, mayReach, unreachableAmong } from '../notifications/outbox/notify-target-guard';

/** A bad operator input: reported as one plain line, never with a stack. */
export class InputError extends Error {}

export const MERCHANT_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export const AVS_POLICIES = ['ACCEPT', 'REVIEW', 'VOID'] as const;
export const AUTH_EXPIRY_POLICIES = ['CAPTURE', 'VOID', 'EXPIRE'] as const;

/** Sent back in the Client-Id header and stored in varchar(64): letters, digits, `_` and `-` only. */
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;
/** Below 2048 bits RSA is breakable; above 8192 every request's verify gets needlessly slow. */
const RSA_BITS = { min: 2048, max: 8192 };

export function parseClientId(value: string | undefined): string {
  if (!value) throw new InputError('--client-id is required');
  if (!CLIENT_ID.test(value))
    throw new InputError('--client-id must be 3–64 characters: letters, digits, "_" or "-", starting with a letter or digit');
  return value;
}

/** A display name (varchar(128)); shown in the admin console, so no control characters. */
export function parseName(value: string): string {
  const name = value.trim();
  // Cf too: bidirectional overrides would make the console show a different name than the one stored.
  if (!name || name.length > 128 || /[\p{Cc}\p{Cf}]/u.test(name)) throw new InputError('--name must be 1–128 printable characters');
  return name;
}

export function parseChoice<T extends string>(option: string, value: string, choices: readonly T[]): T {
  const upper = value.toUpperCase() as T;
  if (!choices.includes(upper)) throw new InputError(`${option} must be one of ${choices.join(', ')}`);
  return upper;
}

export interface ParsedPublicKey {
  /** Normalised SPKI PEM, whatever the input encoding was. */
  pem: string;
  fingerprint: string;
  bits: number;
}

/** SPKI PEM or bare base64 SPKI (Antom's SDK style); RSA only, 2048–8192 bits. Never echoes the input. */
export function parsePublicKey(text: string): ParsedPublicKey {
  let key: KeyObject;
  try {
    key = loadPublicKey(text);
  } catch (e) {
    const why =
      e instanceof Error && /private key was supplied/.test(e.message)
        ? 'it is a PRIVATE key — register only the public half'
        : 'expected an RSA public key as X.509 SPKI PEM or bare base64';
    throw new InputError(`public key rejected: ${why}`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < RSA_BITS.min || bits > RSA_BITS.max)
    throw new InputError(`public key rejected: RSA ${bits} bits; ${RSA_BITS.min} to ${RSA_BITS.max} required`);
  const pem = publicKeyToPem(key);
  return { pem, fingerprint: keyFingerprint(pem), bits };
}

/** `SHA256:<base64>` of the SPKI DER, as `ssh-keygen -l` prints it: both sides can compare without the key. */
export function keyFingerprint(pem: string): string {
  const der = loadPublicKey(pem).export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

/**
 * A merchant notify URL, held to what delivery will accept (notify-target-guard.ts): a literal link-local or
 * cloud metadata address is refused whatever NOTIFY_PRIVATE_HOSTS says; a literal loopback or private one, or
 * `localhost`, unless `reach` allows it; with public-only reach (a remote acquirer under `auto`, or `deny`) the
 * URL must be https too. Host names are checked by `checkNotifyHost` (what they resolve to now) and again at
 * delivery, on the address actually connected to.
 */
export function parseNotifyUrl(value: string, reach: NotifyReach): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError('--notify-url is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError('--notify-url must be an https:// URL');
  if (url.username || url.password) throw new InputError('--notify-url must not carry credentials');
  if (url.toString().length > 2048) throw new InputError('--notify-url is longer than 2048 characters'); // as stored (normalised)
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const named = host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : isIP(host) ? host : null;
  if (named !== null && !mayReach(named, reach)) throw refusal(classifyAddress(named));
  if (reach === 'public' && url.protocol !== 'https:')
    throw new InputError('--notify-url must use https:// (http is accepted only in development: bundled sandbox or loopback acquirer)');
  return url.toString();
}

/**
 * At registration, what the URL's host name resolves to now (from where the command runs) must be reachable
 * too: a name pointing at 169.254.169.254 is refused here rather than at its first delivery. A name that does
 * not resolve is accepted (it may be published later); delivery checks every connection anyway.
 */
export async function checkNotifyHost(url: string, reach: NotifyReach, resolve: (host: string) => Promise<string[]> = resolveAll): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return; // parseNotifyUrl checked it
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return;
  }
  const refused = unreachableAmong(addresses, reach);
  if (refused && addresses.length > 0) throw refusal(refused.addressClass);
}

function refusal(cls: AddressClass): InputError {
  return cls === 'forbidden'
    ? new InputError(
        '--notify-url leads to a link-local, cloud metadata or reserved address, which is never allowed (whatever NOTIFY_PRIVATE_HOSTS says)',
      )
    : new InputError('--notify-url leads to a loopback or private address, which delivery refuses here (NOTIFY_PRIVATE_HOSTS)');
}

async function resolveAll(host: string): Promise<string[]> {
  return (await dns.lookup(host, { all: true })).map((a) => a.address);
}
