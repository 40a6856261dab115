import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { formatSignatureHeader, sign as gatewaySign, verify as gatewayVerify } from '../../../src/antom/signature';
import { privateKeyOf, publicKeyOf, signatureHeader, verifySignatureHeader } from './signing';

// Byte-exact signatures made by Antom's official Go SDK (test/fixtures/antom/README.md says where from).
const file = JSON.parse(readFileSync(path.resolve(__dirname, '../../../test/fixtures/antom/antom-signatures.json'), 'utf8')) as {
  privateKeyPkcs8Pem: string;
  publicKeySpkiPem: string;
  privateKeyBase64: string;
  publicKeyBase64: string;
  vectors: Array<{
    method: string;
    path: string;
    clientId: string;
    time: string;
    body: string;
    signature: string;
    signatureLowerHex: string;
    headerValue: string;
    tamperedBody: string;
  }>;
};
const vectors = file.vectors.filter((v) => v.method === 'POST');

describe("client signing: Antom's scheme, byte for byte", () => {
  it("signs exactly as Antom's Go SDK (PEM and bare base64 keys)", () => {
    expect(vectors.length).toBeGreaterThan(0);
    for (const key of [file.privateKeyPkcs8Pem, file.privateKeyBase64]) {
      for (const v of vectors) {
        const header = signatureHeader({ path: v.path, clientId: v.clientId, time: v.time, body: v.body }, privateKeyOf(key));
        expect(header).toBe(`algorithm=RSA256,keyVersion=1,signature=${v.signature}`);
      }
    }
  });

  it("verifies the SDK's signatures, in its header forms and with lower-case escapes, and refuses tampering", () => {
    for (const key of [file.publicKeySpkiPem, file.publicKeyBase64]) {
      const pub = publicKeyOf(key);
      for (const v of vectors) {
        const parts = { path: v.path, clientId: v.clientId, time: v.time, body: v.body };
        expect(verifySignatureHeader(v.headerValue, parts, pub)).toBe(true);
        expect(verifySignatureHeader(`signature=${v.signatureLowerHex}, algorithm=RSA256`, parts, pub)).toBe(true);
        expect(verifySignatureHeader(v.headerValue, { ...parts, body: v.tamperedBody }, pub)).toBe(false);
        expect(verifySignatureHeader(v.headerValue, { ...parts, path: `${v.path}x` }, pub)).toBe(false);
        expect(verifySignatureHeader(v.headerValue, { ...parts, time: `${v.time}1` }, pub)).toBe(false);
        expect(verifySignatureHeader(v.headerValue, { ...parts, clientId: `${v.clientId}X` }, pub)).toBe(false);
      }
    }
  });

  it("agrees with the gateway's own signature code both ways, over exact bytes (non-ASCII body)", () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const m = {
      path: '/ams/api/v1/payments/pay',
      clientId: 'SANDBOX_X',
      time: '1700000000000',
      body: Buffer.from('{"orderDescription":"Café ☕"}', 'utf8'),
    };
    expect(gatewayVerify(m, /signature=([^,]+)/.exec(signatureHeader(m, privateKey))![1], publicKey)).toBe(true);
    expect(verifySignatureHeader(formatSignatureHeader(gatewaySign(m, privateKey)), m, publicKey)).toBe(true);
  });

  it('refuses what is not an RSA256 signature header, never throwing', () => {
    const pub = publicKeyOf(file.publicKeySpkiPem);
    const v = vectors[0];
    const parts = { path: v.path, clientId: v.clientId, time: v.time, body: v.body };
    for (const h of [
      undefined,
      '',
      'algorithm=RSA256',
      `algorithm=HS256,signature=${v.signature}`,
      'algorithm=RSA256,signature=%E0%A4%A',
      'algorithm=RSA256,signature=!!!',
    ]) {
      expect(verifySignatureHeader(h, parts, pub)).toBe(false);
    }
  });

  it('refuses a private key where the public one belongs, and non-RSA keys', () => {
    expect(() => publicKeyOf(file.privateKeyPkcs8Pem)).toThrow('a private key was supplied');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => privateKeyOf(ec.privateKey)).toThrow('RSA');
  });
});
