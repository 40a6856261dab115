import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { loadConfig } from '../../config/gateway-config';
import { devCertFiles, loadTlsMaterial } from './tls-material';

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
    await expect(loadTlsMaterial(loadConfig({ TLS_CERT_FILE: path.join(dir, 'none.pem'), TLS_KEY_FILE: dev.key }))).rejects.toThrow(/^Invalid configuration: TLS_CERT_FILE cannot be read \(ENOENT\)$/);
    const notPem = path.join(dir, 'not.pem');
    fs.writeFileSync(notPem, 'hello');
    await expect(loadTlsMaterial(loadConfig({ TLS_CERT_FILE: dev.cert, TLS_KEY_FILE: notPem }))).rejects.toThrow(/^Invalid configuration: TLS_KEY_FILE is not a PEM file$/);
    fs.rmSync(other, { recursive: true, force: true });
  });

  it('is off unless asked', async () => {
    expect(await loadTlsMaterial(loadConfig({}))).toBeUndefined();
  });
});
