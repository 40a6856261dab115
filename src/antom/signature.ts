import { constants, KeyObject, sign as rsaSign, verify as rsaVerify } from 'crypto';

/*
 * Antom request/response/notification signatures (contract §1):
 * SHA256withRSA, PKCS#1 v1.5, base64 then URL-encoded, over
 * `<METHOD> <path>\n<clientId>.<time>.<raw body bytes>`.
 */

export interface SignedMessage {
  /** Defaults to 'POST': every Antom call is a POST. */
  method?: string;
  /** The request-uri exactly as sent, including `/sandbox/` when used. */
  path: string;
  clientId: string;
  /** Request-Time / response-time header value; opaque to the signature. */
  time: string;
  /** Pass the raw wire bytes when verifying: re-serialised JSON would not match. */
  body: string | Buffer;
}

export interface ParsedSignatureHeader {
  algorithm: string;
  keyVersion?: string;
  signature: string;
}

const ALGORITHM = 'RSA256';
const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Built from bytes so a Buffer body is signed exactly as it travels, never re-encoded. */
export function contentToSign(m: SignedMessage): Buffer {
  const head = `${m.method ?? 'POST'} ${m.path}\n${m.clientId}.${m.time}.`;
  const body = typeof m.body === 'string' ? Buffer.from(m.body, 'utf8') : m.body;
  return Buffer.concat([Buffer.from(head, 'utf8'), body]);
}

function rsaKey(key: KeyObject) {
  // Explicit padding: the scheme is PKCS#1 v1.5, whatever Node's default becomes.
  return { key, padding: constants.RSA_PKCS1_PADDING };
}

/** Returns the URL-encoded base64 value that goes after `signature=` in the header. */
export function sign(m: SignedMessage, privateKey: KeyObject): string {
  const raw = rsaSign('sha256', contentToSign(m), rsaKey(privateKey));
  return encodeURIComponent(raw.toString('base64'));
}

/**
 * Accepts `%2B` and `%2b` (.NET writes lower-case hex; decodeURIComponent ignores case)
 * and plain base64 (decoding leaves `+`, `/`, `=` untouched).
 */
function decodeSignature(urlEncoded: string): Buffer | null {
  // A space can only be a `+` mangled by form-style decoding somewhere upstream.
  const base64 = decodeURIComponent(urlEncoded.trim()).replace(/ /g, '+');
  // Strict check so junk around a valid value is not silently ignored by Buffer.from.
  return STRICT_BASE64.test(base64) ? Buffer.from(base64, 'base64') : null;
}

/** Never throws: any malformed input (bad percent escape, wrong key type…) is just `false`. */
export function verify(m: SignedMessage, urlEncodedSignature: string, publicKey: KeyObject): boolean {
  try {
    const signature = decodeSignature(urlEncodedSignature);
    if (!signature) return false;
    return rsaVerify('sha256', contentToSign(m), rsaKey(publicKey), signature);
  } catch {
    return false;
  }
}

/** Splits on the first `=` only: a plain-base64 signature value may itself contain `=`. */
function headerParts(value: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    if (!parts.has(key)) parts.set(key, part.slice(eq + 1).trim());
  }
  return parts;
}

/** `algorithm=RSA256,keyVersion=1,signature=…` in any order, spaces after commas tolerated. */
export function parseSignatureHeader(value: string | undefined): ParsedSignatureHeader | null {
  if (typeof value !== 'string') return null;
  const parts = headerParts(value);
  const algorithm = parts.get('algorithm');
  const signature = parts.get('signature');
  if (!signature || algorithm?.toUpperCase() !== ALGORITHM) return null;
  const keyVersion = parts.get('keyversion') || undefined;
  return keyVersion ? { algorithm: ALGORITHM, keyVersion, signature } : { algorithm: ALGORITHM, signature };
}

/** Fixed order: the Java SDK splits on commas and takes the third part as the signature. */
export function formatSignatureHeader(signature: string, keyVersion = '1'): string {
  return `algorithm=${ALGORITHM},keyVersion=${keyVersion},signature=${signature}`;
}
