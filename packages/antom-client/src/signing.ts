import { constants, createPrivateKey, createPublicKey, KeyObject, sign as rsaSign, verify as rsaVerify } from 'node:crypto';

/*
 * Antom's signature scheme, merchant side: SHA256withRSA (PKCS#1 v1.5), base64 then URL-encoded, over
 * `POST <path>\n<client-id>.<time>.<raw body bytes>`. Requests are signed with the merchant's private key;
 * answers and notifications are verified with the gateway's (or Antom's) public key over the exact bytes
 * received, before anything is parsed. The client has its own copy of the scheme (it is another party);
 * signing.spec.ts checks it against the gateway's src/antom/signature.ts both ways.
 */

export interface SignedParts {
  /** The request-uri exactly as sent (or, for a notification, as received). */
  path: string;
  clientId: string;
  /** Request-Time / response-time header value; opaque to the signature. */
  time: string;
  body: string | Buffer;
}

const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function contentToSign(m: SignedParts): Buffer {
  const body = typeof m.body === 'string' ? Buffer.from(m.body, 'utf8') : m.body;
  return Buffer.concat([Buffer.from(`POST ${m.path}\n${m.clientId}.${m.time}.`, 'utf8'), body]);
}

/** The `Signature` header value for a request: `algorithm=RSA256,keyVersion=…,signature=<url-encoded base64>`. */
export function signatureHeader(m: SignedParts, privateKey: KeyObject, keyVersion = '1'): string {
  const raw = rsaSign('sha256', contentToSign(m), { key: privateKey, padding: constants.RSA_PKCS1_PADDING });
  return `algorithm=RSA256,keyVersion=${keyVersion},signature=${encodeURIComponent(raw.toString('base64'))}`;
}

/** Whether a `Signature` header is a valid RSA256 signature of these parts. Never throws. */
export function verifySignatureHeader(header: string | undefined, m: SignedParts, publicKey: KeyObject): boolean {
  const value = signatureValue(header);
  if (!value) return false;
  try {
    const base64 = decodeURIComponent(value).replace(/ /g, '+');
    if (!STRICT_BASE64.test(base64)) return false;
    return rsaVerify('sha256', contentToSign(m), { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(base64, 'base64'));
  } catch {
    return false;
  }
}

/** The `signature=` part of an RSA256 header (any order, first `=` splits), else null. */
function signatureValue(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  const parts = new Map<string, string>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0 && !parts.has(part.slice(0, eq).trim().toLowerCase())) parts.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return parts.get('algorithm')?.toUpperCase() === 'RSA256' ? parts.get('signature') || null : null;
}

/** A private key as PKCS#8 PEM, or bare base64 PKCS#8 DER as Antom's dashboard and SDKs hand it out. */
export function privateKeyOf(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return rsa(key, 'private');
  const text = key.trim().replace(/\\n/g, '\n');
  return rsa(
    text.includes('-----BEGIN')
      ? createPrivateKey(text)
      : createPrivateKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8' }),
    'private',
  );
}

/** A public key as SPKI PEM or bare base64 SPKI DER (Antom's public key as its dashboard shows it). */
export function publicKeyOf(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return rsa(key, 'public');
  const text = key.trim().replace(/\\n/g, '\n');
  if (text.includes('PRIVATE KEY')) throw new Error('Invalid public key: a private key was supplied');
  return rsa(
    text.includes('-----BEGIN')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' }),
    'public',
  );
}

function rsa(k: KeyObject, type: 'private' | 'public'): KeyObject {
  if (k.asymmetricKeyType !== 'rsa' || k.type !== type) throw new Error(`Invalid ${type} key: expected an RSA ${type} key`);
  return k;
}
