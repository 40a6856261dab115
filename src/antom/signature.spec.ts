import * as fc from 'fast-check';
import { readFileSync } from 'fs';
import * as path from 'path';

import { generateRsaKeyPair, loadPrivateKey, loadPublicKey, publicKeyToPem } from './keys';
import { contentToSign, formatSignatureHeader, parseSignatureHeader, sign, SignedMessage, verify } from './signature';

interface Vector {
  method: string;
  path: string;
  clientId: string;
  time: string;
  body: string;
  signature: string;
  signatureLowerHex: string;
  headerValue: string;
  tamperedBody: string;
}

interface VectorFile {
  privateKeyPkcs8Pem: string;
  publicKeySpkiPem: string;
  privateKeyBase64: string;
  publicKeyBase64: string;
  vectors: Vector[];
}

// Byte-exact signatures made by Antom's official Go SDK (contract §1).
const file: VectorFile = JSON.parse(readFileSync(path.resolve(__dirname, '../../test/fixtures/antom/antom-signatures.json'), 'utf8'));

const privateKey = loadPrivateKey(file.privateKeyPkcs8Pem);
const publicKeys = {
  pem: loadPublicKey(file.publicKeySpkiPem),
  base64: loadPublicKey(file.publicKeyBase64),
};
const otherKeys = generateRsaKeyPair();

function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

const message = (v: Vector, body: string | Buffer = v.body): SignedMessage => ({
  method: v.method,
  path: v.path,
  clientId: v.clientId,
  time: v.time,
  body,
});

describe('Antom signature test vectors', () => {
  it('has vectors', () => {
    expect(file.vectors.length).toBeGreaterThan(0);
  });

  describe.each(file.vectors.map((v) => [`${v.path} @ ${v.time}`, v] as const))('%s', (_name, v) => {
    it('signs to exactly the SDK signature, with PEM or bare base64 private key', () => {
      expect(sign(message(v), privateKey)).toBe(v.signature);
      expect(sign(message(v), loadPrivateKey(file.privateKeyBase64))).toBe(v.signature);
    });

    it('signs the raw bytes of a Buffer body the same as the string', () => {
      expect(sign(message(v, Buffer.from(v.body, 'utf8')), privateKey)).toBe(v.signature);
    });

    it('defaults the method to POST', () => {
      const { method: _method, ...withoutMethod } = message(v);
      expect(sign(withoutMethod, privateKey)).toBe(v.signature);
    });

    it.each(Object.entries(publicKeys))('verifies upper- and lower-case hex with the %s public key', (_k, key) => {
      expect(verify(message(v), v.signature, key)).toBe(true);
      expect(verify(message(v), v.signatureLowerHex, key)).toBe(true);
    });

    it('verifies a plain (not URL-encoded) base64 signature', () => {
      expect(verify(message(v), decodeURIComponent(v.signature), publicKeys.pem)).toBe(true);
    });

    it('rejects the tampered body', () => {
      expect(verify(message(v, v.tamperedBody), v.signature, publicKeys.pem)).toBe(false);
      expect(verify(message(v, v.tamperedBody), v.signatureLowerHex, publicKeys.base64)).toBe(false);
    });

    it('rejects a changed path, client id or time', () => {
      expect(verify({ ...message(v), path: `${v.path}/x` }, v.signature, publicKeys.pem)).toBe(false);
      expect(verify({ ...message(v), clientId: `${v.clientId}X` }, v.signature, publicKeys.pem)).toBe(false);
      expect(verify({ ...message(v), time: `${v.time}0` }, v.signature, publicKeys.pem)).toBe(false);
    });

    it('rejects with a wrong key', () => {
      expect(verify(message(v), v.signature, loadPublicKey(otherKeys.publicKeyPem))).toBe(false);
    });

    it('parses the header value and formats it back byte for byte', () => {
      expect(parseSignatureHeader(v.headerValue)).toEqual({
        algorithm: 'RSA256',
        keyVersion: '1',
        signature: v.signature,
      });
      expect(formatSignatureHeader(v.signature)).toBe(v.headerValue);
    });
  });
});

describe('contentToSign', () => {
  it('is "<METHOD> <path>\\n<clientId>.<time>.<body>"', () => {
    const content = contentToSign({ path: '/p', clientId: 'C', time: '1', body: '{"a":"é"}' });
    expect(content.toString('utf8')).toBe('POST /p\nC.1.{"a":"é"}');
  });

  it('keeps a Buffer body byte for byte, even when it is not valid UTF-8', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const content = contentToSign({ path: '/p', clientId: 'C', time: '1', body });
    expect(content.subarray(content.length - body.length).equals(body)).toBe(true);
  });
});

describe('verify never throws', () => {
  const v = file.vectors[0];
  it.each(['', '%', '%zz', '%E0%A4%A', 'not base64!', '====', 'AAAA', v.signature + 'junk'])('returns false for %p', (garbage) => {
    expect(verify(message(v), garbage, publicKeys.pem)).toBe(false);
  });

  it('returns false for arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), (s) => verify(message(v), s, publicKeys.pem) === false));
  });

  it('returns false for the private key object of another pair', () => {
    expect(verify(message(v), v.signature, loadPrivateKey(otherKeys.privateKeyPem))).toBe(false);
  });
});

describe('sign/verify properties', () => {
  const arbMessage = fc.record({
    method: fc.constantFrom('POST', 'GET', undefined),
    path: fc.webPath(),
    clientId: fc.string({ unit: 'binary' }),
    time: fc.oneof(fc.nat().map(String), fc.string()),
    body: fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.uint8Array().map((a) => Buffer.from(a)),
    ),
  });

  it('round-trips for arbitrary messages', () => {
    fc.assert(
      fc.property(arbMessage, (m) => verify(m, sign(m, privateKey), publicKeys.base64)),
      { numRuns: 60 },
    );
  });

  it('fails when any single body byte is flipped', () => {
    const arb = fc.record({ m: arbMessage, bytes: fc.uint8Array({ minLength: 1, maxLength: 512 }) }).chain(({ m, bytes }) =>
      fc.record({
        m: fc.constant({ ...m, body: Buffer.from(bytes) }),
        index: fc.nat({ max: bytes.length - 1 }),
        mask: fc.integer({ min: 1, max: 255 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ m, index, mask }) => {
        const signature = sign(m, privateKey);
        const flipped = Buffer.from(m.body);
        flipped[index] ^= mask;
        return !verify({ ...m, body: flipped }, signature, publicKeys.pem);
      }),
      { numRuns: 60 },
    );
  });
});

describe('parseSignatureHeader', () => {
  const sig = file.vectors[0].signature;
  const plain = decodeURIComponent(sig);

  it('tolerates spaces after commas and any key order', () => {
    expect(parseSignatureHeader(`signature=${sig}, keyVersion=2, algorithm=RSA256`)).toEqual({
      algorithm: 'RSA256',
      keyVersion: '2',
      signature: sig,
    });
  });

  it('splits each part on the first "=" only (plain base64 ends with "=")', () => {
    expect(parseSignatureHeader(`algorithm=RSA256,keyVersion=1,signature=${plain}`)?.signature).toBe(plain);
  });

  it('leaves keyVersion undefined when absent', () => {
    expect(parseSignatureHeader(`algorithm=RSA256,signature=${sig}`)).toEqual({
      algorithm: 'RSA256',
      signature: sig,
    });
  });

  it.each([
    undefined,
    '',
    'algorithm=RSA256,keyVersion=1',
    'algorithm=RSA256,keyVersion=1,signature=',
    `algorithm=HS256,keyVersion=1,signature=${sig}`,
    `keyVersion=1,signature=${sig}`,
    'garbage',
  ])('returns null for %p', (value) => {
    expect(parseSignatureHeader(value)).toBeNull();
  });

  it('formats with a custom key version', () => {
    expect(formatSignatureHeader('abc', '7')).toBe('algorithm=RSA256,keyVersion=7,signature=abc');
  });
});

describe('keys', () => {
  it('loads PEM with escaped newlines, as found in env files', () => {
    const escaped = file.privateKeyPkcs8Pem.replace(/\n/g, '\\n');
    expect(sign(message(file.vectors[0]), loadPrivateKey(escaped))).toBe(file.vectors[0].signature);
    const escapedPublic = file.publicKeySpkiPem.replace(/\n/g, '\\n');
    expect(verify(message(file.vectors[0]), file.vectors[0].signature, loadPublicKey(escapedPublic))).toBe(true);
  });

  it('exports the same public key as SPKI PEM, from the public or the private key', () => {
    expect(publicKeyToPem(publicKeys.base64)).toBe(file.publicKeySpkiPem);
    expect(publicKeyToPem(privateKey)).toBe(file.publicKeySpkiPem);
  });

  it('generates RSA-2048 PKCS#8 / SPKI PEM pairs that sign and verify', () => {
    const pair = generateRsaKeyPair();
    expect(pair.privateKeyPem).toContain('-----BEGIN PRIVATE KEY-----');
    expect(pair.publicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');
    const pub = loadPublicKey(pair.publicKeyPem);
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const m = message(file.vectors[0]);
    expect(verify(m, sign(m, loadPrivateKey(pair.privateKeyPem)), pub)).toBe(true);
  });

  it('rejects garbage and private keys offered as public keys, without echoing the input', () => {
    expect(() => loadPrivateKey('not a key')).toThrow(/Invalid private key/);
    expect(() => loadPublicKey('')).toThrow(/Invalid public key/);
    expect(() => loadPublicKey(file.privateKeyPkcs8Pem)).toThrow(/private key was supplied/);
    expect(() => loadPublicKey(file.privateKeyBase64)).toThrow(/Invalid public key/);
    const truncated = file.privateKeyBase64.slice(0, 200);
    expect(thrownMessage(() => loadPrivateKey(truncated))).toMatch(/^Invalid private key/);
    expect(thrownMessage(() => loadPrivateKey(truncated))).not.toContain(truncated.slice(0, 40));
  });
});
