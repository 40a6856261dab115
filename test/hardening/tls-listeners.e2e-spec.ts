import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';

import { Agent, Dispatcher, getGlobalDispatcher, request, setGlobalDispatcher } from 'undici';

import { GatewayConfig, loadConfig } from '../../src/config/gateway-config';
import { devCertFiles, loadTlsMaterial } from '../../src/platform/http/tls-material';
import { s2sPay } from '../support/fixtures';
import { waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/*
 * Native TLS (PCI DSS 4.2.1): with TLS_DEV_CERT both listeners (PORT and ADMIN_PORT) serve TLS with the
 * development certificate made under GATEWAY_DATA_DIR, the merchant API works through it end to end
 * (the bundled sandbox's notifications included, to https://…/antom/notify), plain HTTP gets no answer,
 * and the slow-request limits still cut a trickling client inside TLS.
 */
describe('TLS on the gateway listeners (TLS_DEV_CERT)', () => {
  let stack: TestStack;
  let ca: string;
  let previous: Dispatcher;

  beforeAll(async () => {
    stack = await startTestStack({ TLS_DEV_CERT: 'true', ADMIN_PORT: '0', REQUEST_TIMEOUT_MS: '2000' });
    const dataDir = stack.app.get(GatewayConfig).dataDir;
    ca = fs.readFileSync(devCertFiles(dataDir).cert, 'utf8');
    previous = getGlobalDispatcher();
    // The test client trusts the development certificate, as a merchant's SDK would be told to.
    setGlobalDispatcher(new Agent({ connect: { ca } }));
  });
  afterAll(async () => {
    if (previous) setGlobalDispatcher(previous);
    await stack?.stop();
  });

  it('serves the merchant API over TLS with the development certificate; the sandbox notifies over TLS too', async () => {
    expect(stack.gatewayUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await stack.merchant.post('payments/pay', s2sPay());
    expect(res.status).toBe(200);
    expect(res.signatureValid).toBe(true);
    expect(res.body.result.resultStatus).toBe('S');
    // The sandbox's PAYMENT_RESULT to the gateway's https notify URL (this stack's port), delivered and acknowledged.
    const sent = await waitFor(async () => {
      const rows = await stack.db.query(`SELECT status, last_error FROM sandbox.notification WHERE url = $1 AND notify_type = 'PAYMENT_RESULT'`, [
        `${stack.gatewayUrl}/antom/notify`,
      ]);
      return rows.length > 0 && rows.every((r: { status: string }) => r.status !== 'PENDING') ? rows : null;
    }, 20_000);
    expect(sent).toEqual([{ status: 'DELIVERED', last_error: null }]);
  });

  it('serves the admin listener over TLS with the same certificate', async () => {
    expect(stack.adminUrl).toMatch(/^https:\/\//);
    const page = await request(`${stack.adminUrl}/admin/login`);
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain('<form');
    const peer = await peerCertificate(Number(new URL(stack.adminUrl).port));
    expect(peer).toBe(new X509Certificate(ca).fingerprint256);
  });

  it('offers Mozilla "intermediate" suites only, on both listeners: TLS 1.2 CBC or static RSA refused, ECDHE with GCM accepted', async () => {
    for (const url of [stack.gatewayUrl, stack.adminUrl]) {
      const port = Number(new URL(url).port);
      for (const cbc of ['AES128-SHA', 'AES256-SHA256']) expect(await negotiated(port, cbc)).toEqual({ refused: true });
      expect(await negotiated(port, 'ECDHE-RSA-AES128-GCM-SHA256')).toEqual({ cipher: 'ECDHE-RSA-AES128-GCM-SHA256' });
    }
  });

  it('refuses an untrusted client and answers nothing in clear text', async () => {
    await expect(request(stack.gatewayUrl + '/health', { dispatcher: new Agent() })).rejects.toThrow(/self-signed|certificate/i);
    const plain = await rawPlain(Number(new URL(stack.gatewayUrl).port), 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(plain).not.toMatch(/^HTTP\/1\.1 200/);
    expect(plain).not.toContain('"status"');
  });

  it('still cuts a request whose body, or whose headers, trickle in over TLS', async () => {
    const port = Number(new URL(stack.gatewayUrl).port);
    const [body, headers] = await Promise.all([
      trickle(port, ca, 'POST /ams/api/v1/payments/pay HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{', '"'),
      trickle(port, ca, 'POST /ams/api/v1/payments/pay HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'a'),
    ]);
    // REQUEST_TIMEOUT_MS 2 s (headers 1 s), checked every 500 ms: the server cuts both after a few of the one-a-second
    // drips (bounded by count: the trickle gives up, uncut, after DRIPS_AT_MOST), long before either request is whole.
    expect(body).toMatchObject({ cutByServer: true });
    expect(headers).toMatchObject({ cutByServer: true });
    expect(body.answer).toMatch(/^HTTP\/1\.1 408/);
  }, 60_000);

  it('keeps the development certificate across restarts (same files)', async () => {
    const dataDir = path.dirname(path.dirname(devCertFiles(stack.app.get(GatewayConfig).dataDir).cert));
    const again = await loadTlsMaterial(loadConfig({ TLS_DEV_CERT: 'true', GATEWAY_DATA_DIR: dataDir }));
    expect(again?.cert).toBe(ca);
  });
});

function peerCertificate(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => {
      resolve(s.getPeerX509Certificate()!.fingerprint256);
      s.destroy();
    });
    s.on('error', reject);
  });
}

/** A TLS 1.2 handshake offering one cipher suite: the one agreed, or refused. */
function negotiated(port: number, cipher: string): Promise<{ cipher: string } | { refused: true }> {
  return new Promise((resolve) => {
    const s = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false, ciphers: cipher, maxVersion: 'TLSv1.2' }, () => {
      resolve({ cipher: s.getCipher().name });
      s.destroy();
    });
    s.on('error', () => resolve({ refused: true }));
  });
}

function rawPlain(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    s.on('data', (d) => {
      got += d.toString('latin1');
    });
    s.on('close', () => resolve(got));
    s.on('error', () => undefined);
    setTimeout(() => s.destroy(), 3000);
  });
}

/** Drips a trickle sends before it stops waiting to be cut (the body it starts needs 499 more bytes, the headers never end). */
const DRIPS_AT_MOST = 20;

/** A TLS connection that writes `head`, then one byte a second; resolves with what came back when it closed, and who closed it. */
function trickle(port: number, ca: string, head: string, drip: string): Promise<{ cutByServer: boolean; drips: number; answer: string }> {
  return new Promise((resolve) => {
    let answer = '';
    let drips = 0;
    let gaveUp = false;
    let timer: NodeJS.Timeout | undefined;
    const socket = tls.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' }, () => {
      socket.write(head);
      timer = setInterval(() => {
        if (socket.destroyed) return;
        if (drips >= DRIPS_AT_MOST) {
          gaveUp = true;
          socket.destroy();
          return;
        }
        socket.write(drip[drips++ % drip.length]);
      }, 1000);
    });
    socket.on('data', (d) => {
      answer += d.toString('latin1');
    });
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ cutByServer: !gaveUp, drips, answer });
    });
    socket.on('error', () => undefined);
  });
}
