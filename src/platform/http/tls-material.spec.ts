import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

import { loadConfig } from '../../config/gateway-config';
import { devCertFiles, loadTlsMaterial, tlsServerOptions } from './tls-material';

describe('TLS material', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-tls-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('TLS_DEV_CERT: makes a certificate for localhost, 127.0.0.1 and ::1 once (key 0600) and reuses it', async () => {
    const config = loadConfig({ TLS_DEV_CERT: 'true', GATEWAY_DATA_DIR: dir });
    const first = await loadTlsMaterial(config);
    const files = devCertFiles(config.dataDir);
    expect(first).toMatchObject({ source: 'dev', certFile: files.cert });
    expect(fs.statSync(files.key).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(files.key)).mode & 0o777).toBe(0o700);
    const x509 = new X509Certificate(first!.cert);
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.ca).toBe(false);
    const again = await loadTlsMaterial(config);
    expect(again!.cert).toBe(first!.cert);
    expect(again!.key).toBe(first!.key);
  });

  it('TLS_CERT_FILE / TLS_KEY_FILE: read and checked; a mismatched or unreadable pair is one clear line', async () => {
    const dev = devCertFiles(path.resolve(dir));
    const ok = await loadTlsMaterial(loadConfig({ TLS_CERT_FILE: dev.cert, TLS_KEY_FILE: dev.key }));
    expect(ok).toMatchObject({ source: 'files', certFile: dev.cert });

    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-tls-other-'));
    await loadTlsMaterial(loadConfig({ TLS_DEV_CERT: 'true', GATEWAY_DATA_DIR: other }));
    const mismatch = loadTlsMaterial(loadConfig({ TLS_CERT_FILE: dev.cert, TLS_KEY_FILE: devCertFiles(path.resolve(other)).key }));
    await expect(mismatch).rejects.toThrow(/^Invalid configuration: TLS_CERT_FILE \/ TLS_KEY_FILE cannot be used for TLS: .*key values mismatch/);
    await expect(loadTlsMaterial(loadConfig({ TLS_CERT_FILE: path.join(dir, 'none.pem'), TLS_KEY_FILE: dev.key }))).rejects.toThrow(
      /^Invalid configuration: TLS_CERT_FILE cannot be read \(ENOENT\)$/,
    );
    const notPem = path.join(dir, 'not.pem');
    fs.writeFileSync(notPem, 'hello');
    await expect(loadTlsMaterial(loadConfig({ TLS_CERT_FILE: dev.cert, TLS_KEY_FILE: notPem }))).rejects.toThrow(
      /^Invalid configuration: TLS_KEY_FILE is not a PEM file$/,
    );
    fs.rmSync(other, { recursive: true, force: true });
  });

  it('is off unless asked', async () => {
    expect(await loadTlsMaterial(loadConfig({}))).toBeUndefined();
  });

  /*
   * Issue 23: TLS 1.2 accepted AES128-SHA and AES256-SHA256 (static RSA, CBC). The listeners' options now allow
   * Mozilla's "intermediate" set only: TLS 1.3, and TLS 1.2 with ECDHE and an AEAD cipher.
   */
  describe("the listeners' cipher suites (tlsServerOptions)", () => {
    let server: tls.Server;
    let port: number;
    let ca: string;
    beforeAll(async () => {
      const material = await loadTlsMaterial(loadConfig({ TLS_DEV_CERT: 'true', GATEWAY_DATA_DIR: dir }));
      ca = material!.cert; // the client verifies the listener's certificate, as every client must
      server = tls.createServer(tlsServerOptions(material!, 30_000), (socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    /** One handshake with what the client offers: the suite and version agreed, or the handshake's error. */
    const handshake = (offer: tls.ConnectionOptions) =>
      new Promise<{ cipher: string; version: string } | { refused: string }>((resolve) => {
        const socket = tls.connect({ port, host: '127.0.0.1', ca, ...offer }, () => {
          resolve({ cipher: socket.getCipher().name, version: String(socket.getProtocol()) });
          socket.destroy();
        });
        socket.on('error', (e: NodeJS.ErrnoException) => resolve({ refused: e.code ?? e.message }));
      });

    it.each(['AES128-SHA', 'AES256-SHA256', 'AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384'])(
      'refuses a TLS 1.2 client offering only %s (static RSA or CBC)',
      async (cipher) => {
        expect(await handshake({ ciphers: cipher, maxVersion: 'TLSv1.2' })).toEqual({ refused: expect.any(String) });
      },
    );

    it.each(['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305'])(
      'accepts TLS 1.2 with %s',
      async (cipher) => {
        expect(await handshake({ ciphers: cipher, maxVersion: 'TLSv1.2' })).toEqual({ cipher, version: 'TLSv1.2' });
      },
    );

    it('accepts TLS 1.3 and refuses TLS 1.1', async () => {
      expect(await handshake({ minVersion: 'TLSv1.3' })).toEqual({
        cipher: expect.stringMatching(/^TLS_(AES_(128|256)_GCM|CHACHA20_POLY1305)_SHA/),
        version: 'TLSv1.3',
      });
      expect(await handshake({ maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' })).toEqual({ refused: expect.any(String) });
    });
  });
});
