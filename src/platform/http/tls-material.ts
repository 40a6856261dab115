import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSecureContext, SecureContextOptions } from 'node:tls';

import { generate } from 'selfsigned';

import { ConfigError, GatewayConfig } from '../../config/gateway-config';
import { writePrivate } from '../private-file';
import { connectionsCheckingInterval } from './listener-timeouts';

/** The certificate and key every listener of this process serves (PEM), read once at start-up. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where it came from, for the start-up log: the operator's files or the development certificate. */
  source: 'files' | 'dev';
  certFile: string;
}

/** Names the development certificate answers to: what a browser, curl or an SDK on this machine dials. */
export const DEV_CERT_NAMES = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] };
/** A development certificate this close to its end is made again at start-up. */
const RENEW_BEFORE_MS = 7 * 86400_000;

export function devCertFiles(dataDir: string): { cert: string; key: string } {
  return { cert: path.join(dataDir, 'tls', 'dev-cert.pem'), key: path.join(dataDir, 'tls', 'dev-key.pem') };
}

/**
 * TLS_CERT_FILE / TLS_KEY_FILE, or (TLS_DEV_CERT) the development certificate, made on first start and kept;
 * undefined when TLS is off. Checked here as Node will use them (key matches certificate, PEM parses), so a
 * bad pair stops start-up with one line instead of failing every handshake.
 */
export async function loadTlsMaterial(config: GatewayConfig): Promise<TlsMaterial | undefined> {
  if (config.TLS_CERT_FILE && config.TLS_KEY_FILE) {
    const material: TlsMaterial = {
      cert: readPem('TLS_CERT_FILE', config.TLS_CERT_FILE),
      key: readPem('TLS_KEY_FILE', config.TLS_KEY_FILE),
      source: 'files',
      certFile: config.TLS_CERT_FILE,
    };
    return checked(material, 'TLS_CERT_FILE / TLS_KEY_FILE');
  }
  if (!config.TLS_DEV_CERT) return undefined;
  return checked(await ensureDevCertificate(config.dataDir), 'the development certificate');
}

/**
 * GATEWAY_DATA_DIR/tls/dev-cert.pem and dev-key.pem (0600 in a 0700 folder): reused while valid, so a
 * client that trusts it once keeps trusting it across restarts. Under GATEWAY_WORKERS the primary calls
 * this before forking, so workers only read.
 */
export async function ensureDevCertificate(dataDir: string): Promise<TlsMaterial> {
  const files = devCertFiles(dataDir);
  if (fs.existsSync(files.cert) && fs.existsSync(files.key)) {
    const cert = fs.readFileSync(files.cert, 'utf8');
    if (Date.parse(new X509Certificate(cert).validTo) - Date.now() > RENEW_BEFORE_MS) {
      return { cert, key: fs.readFileSync(files.key, 'utf8'), source: 'dev', certFile: files.cert };
    }
  }
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate(
    [
      { name: 'commonName', value: 'localhost' },
      { name: 'organizationName', value: 'antom-card-gateway development' },
    ],
    {
      keyType: 'rsa',
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate,
      notAfterDate: new Date(notBeforeDate.getTime() + 365 * 86400_000),
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            ...DEV_CERT_NAMES.dns.map((value) => ({ type: 2 as const, value })),
            ...DEV_CERT_NAMES.ip.map((ip) => ({ type: 7 as const, ip })),
          ],
        },
      ],
    },
  );
  // Key first: a crash between the two writes leaves no certificate without its key.
  writePrivate(files.key, pems.private);
  fs.writeFileSync(files.cert, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, source: 'dev', certFile: files.cert };
}

/**
 * Mozilla's "intermediate" configuration (ssl-config.mozilla.org, v5.7): TLS 1.3 with its three suites, and
 * TLS 1.2 only with ECDHE key exchange (forward secrecy) and an AEAD cipher (GCM or ChaCha20-Poly1305). No
 * static-RSA key exchange (AES128-SHA, AES256-GCM-SHA384) and no CBC (…-SHA, …-SHA256, …-SHA384), which Node's
 * default list still offers on TLS 1.2. The DHE suites Mozilla lists as optional are left out: ECDHE covers
 * every client that list serves, without shipping DH parameters. The TLS 1.3 names are listed too: the one
 * `ciphers` string sets both protocol versions' suites.
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * What every TLS listener (PORT and ADMIN_PORT) is created with: the pair, TLS 1.2 at least with the suites
 * above only, and a handshake bounded like the headers.
 */
export function tlsServerOptions(
  material: TlsMaterial,
  requestTimeoutMs: number,
): SecureContextOptions & { handshakeTimeout: number; connectionsCheckingInterval: number } {
  return {
    cert: material.cert,
    key: material.key,
    minVersion: 'TLSv1.2',
    ciphers: TLS_CIPHERS,
    handshakeTimeout: Math.max(1000, Math.floor(requestTimeoutMs / 2)),
    connectionsCheckingInterval: connectionsCheckingInterval(requestTimeoutMs),
  };
}

function readPem(key: string, file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`Invalid configuration: ${key} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) throw new ConfigError(`Invalid configuration: ${key} is not a PEM file`);
  return text;
}

function checked(material: TlsMaterial, what: string): TlsMaterial {
  try {
    createSecureContext({ cert: material.cert, key: material.key });
    new X509Certificate(material.cert);
  } catch (e) {
    // OpenSSL's reason only ("key values mismatch", "bad decrypt"): never the key's bytes.
    const message = (e as { message?: unknown } | null)?.message;
    const reason = typeof message === 'string' ? message.split('\n')[0].slice(0, 120) : 'unusable';
    throw new ConfigError(`Invalid configuration: ${what} cannot be used for TLS: ${reason}`);
  }
  return material;
}
