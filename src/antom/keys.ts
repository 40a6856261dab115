import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'crypto';

/*
 * RSA key loading for the Antom signature scheme (contract §1).
 * Antom's SDKs hand keys around as bare base64 DER (no PEM armour); operators
 * paste PEM; env files often carry PEM with literal "\n". All three must work.
 * Error messages never echo the input: it may be a private key.
 */

const PEM_ARMOUR = '-----BEGIN ';

/** Env-file PEMs arrive with literal backslash-n and sometimes wrapping quotes. */
function normaliseKeyText(input: string): string {
  return input
    .trim()
    .replace(/^(['"])([\s\S]*)\1$/, '$2')
    .replace(/\\r\\n|\\n/g, '\n')
    .trim();
}

/** Bare base64 may be wrapped over several lines; whitespace is never significant in it. */
function base64Der(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

/** Try each DER encoding in turn: PKCS#8/SPKI is the contract, PKCS#1 a common paste error. */
function firstThatLoads<T>(attempts: Array<() => T>): T | null {
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // try the next encoding
    }
  }
  return null;
}

function requireRsa(key: KeyObject | null, what: string): KeyObject {
  // The protocol is RSA-only; failing at load time beats a confusing verify failure later.
  if (!key || key.asymmetricKeyType !== 'rsa') {
    throw new Error(`Invalid ${what}: expected an RSA key as PEM or bare base64 DER`);
  }
  return key;
}

/** PKCS#8 PEM, bare base64 PKCS#8 (Antom SDK style), or PEM with escaped newlines. */
export function loadPrivateKey(pemOrBase64: string): KeyObject {
  const text = normaliseKeyText(pemOrBase64 ?? '');
  const der = text.includes(PEM_ARMOUR) ? null : base64Der(text);
  const key = firstThatLoads<KeyObject>(
    der
      ? [() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })]
      : [() => createPrivateKey({ key: text, format: 'pem' })],
  );
  return requireRsa(key, 'private key');
}

/** X.509 SubjectPublicKeyInfo PEM or bare base64 (Antom SDK style). */
export function loadPublicKey(pemOrBase64: string): KeyObject {
  const text = normaliseKeyText(pemOrBase64 ?? '');
  if (text.includes('PRIVATE KEY-----')) {
    // Node would silently derive the public half; a private key in a public-key slot is a leak to report.
    throw new Error('Invalid public key: a private key was supplied');
  }
  const der = text.includes(PEM_ARMOUR) ? null : base64Der(text);
  const key = firstThatLoads<KeyObject>([
    // Bare base64 is SPKI only: Node would also accept (and derive from) PKCS#1 private DER.
    der ? () => createPublicKey({ key: der, format: 'der', type: 'spki' }) : () => createPublicKey({ key: text, format: 'pem' }),
  ]);
  return requireRsa(key, 'public key');
}

/** RSA-2048 as the contract requires; PEM so it can be stored or printed for registration. */
export function generateRsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** SPKI PEM of a key; given a private key, exports its public half (never the private part). */
export function publicKeyToPem(k: KeyObject): string {
  const publicKey = k.type === 'private' ? createPublicKey(k) : k;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
