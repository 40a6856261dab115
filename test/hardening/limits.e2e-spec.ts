import * as net from 'node:net';
import { Readable } from 'node:stream';

import { request } from 'undici';

import { generateRsaKeyPair } from '../../src/antom/keys';
import { loadPrivateKey } from '../../src/antom/keys';
import { formatSignatureHeader, sign } from '../../src/antom/signature';
import { MerchantRateLimiter } from '../../src/merchant-api/merchant-rate-limiter';
import { s2sPay } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';

/*
 * The gateway's limits: per-merchant request rate (U REQUEST_TRAFFIC_EXCEED_LIMIT), request body size
 * (F PARAM_ILLEGAL), and the time it waits for the acquirer (U, payment left UNKNOWN, never a hang).
 */
describe('per-merchant rate limit and body size limit', () => {
  let stack: TestStack;
  const BODY_LIMIT = 8192;
  // 40/s for the deployment over 2 instances: this instance allows 20/s per merchant, burst 20.
  beforeAll(async () => {
    stack = await startTestStack({ MERCHANT_RATE_LIMIT_PER_SECOND: '40', GATEWAY_INSTANCE_COUNT: '2', BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers a merchant over its share with U REQUEST_TRAFFIC_EXCEED_LIMIT, spares other merchants, and recovers', async () => {
    const busy = await stack.newMerchant();
    const calm = await stack.newMerchant();
    const known = await busy.post('payments/pay', s2sPay());
    // The limiter's clock (its constructor's `clock`) is the test's here: it stands still while a burst is answered,
    // however long a loaded machine takes, and moves on by exactly one second between bursts (one second's refill).
    const limiter = stack.app.get(MerchantRateLimiter) as unknown as { clock: () => number };
    const realClock = limiter.clock;
    let now = realClock();
    limiter.clock = () => now;
    try {
      const burst = await Promise.all(Array.from({ length: 60 }, () => busy.post('payments/inquiryPayment', { paymentId: known.body.paymentId })));
      const limited = burst.filter((r) => r.body.result.resultCode === 'REQUEST_TRAFFIC_EXCEED_LIMIT');
      const served = burst.filter((r) => r.body.result.resultCode === 'SUCCESS');
      process.stdout.write(`rate limit: 60 concurrent requests at 20/s per instance → ${served.length} served, ${limited.length} limited\n`);
      expect(served.length + limited.length).toBe(60);
      // the burst (20), less the pay's token if it had not refilled when the clock stopped
      expect(served.length).toBeGreaterThanOrEqual(19);
      expect(served.length).toBeLessThanOrEqual(20);
      for (const r of limited) {
        expect(r.status).toBe(200);
        expect(r.signatureValid).toBe(true);
        expect(r.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT' });
      }
      const other = await calm.post('payments/inquiryPayment', { paymentId: 'gwp_none' });
      expect(other.body.result.resultCode).toBe('ORDER_NOT_EXIST');

      // limited pays write nothing: rows grow by exactly the number of pays that were served (one second's refill)
      now += 1000;
      const before = Number((await stack.db.query('SELECT count(*) AS n FROM payment'))[0].n);
      const pays = await Promise.all(Array.from({ length: 40 }, () => busy.post('payments/pay', s2sPay())));
      const paid = pays.filter((r) => r.body.result.resultCode === 'SUCCESS').length;
      const refused = pays.filter((r) => r.body.result.resultCode === 'REQUEST_TRAFFIC_EXCEED_LIMIT').length;
      expect({ paid, refused }).toEqual({ paid: 20, refused: 20 });
      expect(Number((await stack.db.query('SELECT count(*) AS n FROM payment'))[0].n)).toBe(before + paid);

      now += 1000; // and it recovers a second later
      const after = await busy.post('payments/inquiryPayment', { paymentId: known.body.paymentId });
      expect(after.body.result.resultCode).toBe('SUCCESS');
    } finally {
      limiter.clock = realClock;
    }
  });

  it('does not spend a merchant budget on requests that fail authentication', async () => {
    const victim = await stack.newMerchant();
    const forged = generateRsaKeyPair();
    const junk = await Promise.all(
      Array.from({ length: 60 }, () =>
        victim.post('payments/inquiryPayment', { paymentId: 'x' }, { signWith: loadPrivateKey(forged.privateKeyPem) }),
      ),
    );
    expect(junk.every((r) => r.body.result.resultCode === 'INVALID_SIGNATURE')).toBe(true);
    const real = await victim.post('payments/inquiryPayment', { paymentId: 'gwp_none' });
    expect(real.body.result.resultCode).toBe('ORDER_NOT_EXIST');
  });

  describe(`body size limit (BODY_LIMIT_BYTES=${BODY_LIMIT})`, () => {
    const padded = (size: number) => {
      const base = JSON.stringify({ paymentId: 'gwp_none', pad: '' });
      return JSON.stringify({ paymentId: 'gwp_none', pad: 'x'.repeat(size - base.length) });
    };

    it('reads a body of exactly the limit and refuses one byte more with F PARAM_ILLEGAL', async () => {
      const m = await stack.newMerchant();
      const atLimit = await m.send('/ams/api/v1/payments/inquiryPayment', padded(BODY_LIMIT));
      expect(Buffer.byteLength(padded(BODY_LIMIT))).toBe(BODY_LIMIT);
      expect(atLimit.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      const over = await m.send('/ams/api/v1/payments/inquiryPayment', padded(BODY_LIMIT + 1));
      expect(over.status).toBe(200);
      expect(over.signatureValid).toBe(true);
      expect(over.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL', resultMessage: 'The request body is too large.' });
    });

    it('refuses an oversize chunked body (no Content-Length) the same way, and a 5 MB one without buffering it', async () => {
      const m = await stack.newMerchant();
      for (const size of [BODY_LIMIT * 2, 5 * 1024 * 1024]) {
        const body = padded(size);
        const time = String(Date.now());
        const path = '/ams/api/v1/payments/inquiryPayment';
        const res = await request(stack.gatewayUrl + path, {
          method: 'POST',
          body: Readable.from([Buffer.from(body.slice(0, 1000)), Buffer.from(body.slice(1000))]),
          headers: {
            'content-type': 'application/json',
            'client-id': m.clientId,
            'request-time': time,
            signature: formatSignatureHeader(sign({ path, clientId: m.clientId, time, body }, loadPrivateKey(generateRsaKeyPair().privateKeyPem))),
          },
        });
        expect(res.statusCode).toBe(200);
        expect(((await res.body.json()) as { result: unknown }).result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
      }
    });
  });
});

describe('timeouts on calls to the acquirer', () => {
  const TIMEOUT_MS = 500;
  const DRIP_MS = 3_000;

  /**
   * An "acquirer" that accepts connections and then behaves badly. `events` records, in order, what happened
   * on its side: 'request received', 'closed by the gateway' (it never closes a connection itself before its
   * drip ends), 'drip ended'.
   */
  async function badUpstream(behaviour: 'silent' | 'drip'): Promise<{ url: string; events: string[]; close(): Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const events: string[] = [];
    let closing = false;
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      let dripEnded = false;
      s.once('data', () => events.push('request received'));
      s.on('close', () => {
        sockets.delete(s);
        if (!closing && !dripEnded) events.push('closed by the gateway');
      });
      if (behaviour === 'drip') {
        // headers at once, then a byte every TIMEOUT_MS / 2 (never idle long enough for an idle
        // timeout) for DRIP_MS in all, then the end of an unsigned body
        s.once('data', () => {
          s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
          const t = setInterval(() => s.write('1\r\n \r\n'), TIMEOUT_MS / 2);
          setTimeout(() => {
            clearInterval(t);
            if (!s.destroyed) {
              dripEnded = true;
              events.push('drip ended');
              s.end('0\r\n\r\n');
            }
          }, DRIP_MS);
          s.on('close', () => clearInterval(t));
        });
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      events,
      close: async () => {
        closing = true;
        sockets.forEach((s) => s.destroy());
        await new Promise((r) => server.close(r));
      },
    };
  }

  /** The acquirer's side of a call ends a moment after the gateway's answer: wait for what followed the request (bounded by count). */
  async function afterTheRequest(upstream: { events: string[] }): Promise<string | undefined> {
    const later = () => upstream.events.filter((e) => e !== 'request received');
    for (let i = 0; i < 250 && later().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    return later()[0];
  }

  async function stackAgainst(url: string): Promise<TestStack> {
    const acquirer = generateRsaKeyPair();
    const ours = generateRsaKeyPair();
    return startTestStack({
      ANTOM_BASE_URL: url,
      ANTOM_CLIENT_ID: 'SANDBOX_TIMEOUT_TEST',
      ANTOM_PRIVATE_KEY: ours.privateKeyPem,
      ANTOM_PUBLIC_KEY: acquirer.publicKeyPem,
      UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
      UPSTREAM_RETRIES: '0', // one attempt: these tests measure the timeout of a call, not the resend policy
    });
  }

  it('gives up on a silent acquirer after UPSTREAM_TIMEOUT_MS: U for the merchant, payment UNKNOWN, health still answers', async () => {
    const upstream = await badUpstream('silent');
    const stack = await stackAgainst(upstream.url);
    try {
      const res = await stack.merchant.post('payments/pay', s2sPay());
      expect(res.status).toBe(200);
      expect(res.body.result.resultStatus).toBe('U');
      // Gave up rather than waited: the acquirer had the request and never sent a byte, yet the merchant has its U
      // (undici's own header timeout, 300 s, is far past this test's timeout: only UPSTREAM_TIMEOUT_MS ends the wait).
      expect(upstream.events[0]).toBe('request received');
      const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId: res.body.paymentId });
      expect(inquiry.body.paymentStatus).toBe('PROCESSING');
      const health = await fetch(`${stack.gatewayUrl}/health`);
      expect(await health.json()).toMatchObject({ database: 'up', upstream: 'down' });
    } finally {
      await stack.stop();
      await upstream.close();
    }
  }, 30_000);

  // undici's headersTimeout/bodyTimeout are *idle* timeouts: an acquirer that sends headers and then trickles
  // a byte now and then would hold an attempt until it stops. The client's per-attempt AbortSignal deadline
  // is what this test proves.
  it('gives up on an acquirer that trickles its answer within about UPSTREAM_TIMEOUT_MS (total deadline)', async () => {
    const upstream = await badUpstream('drip');
    const stack = await stackAgainst(upstream.url);
    try {
      const res = await stack.merchant.post('payments/pay', s2sPay());
      expect(res.body.result.resultStatus).toBe('U');
      // Cut by the total deadline, shown by event order: the gateway closed the call while the acquirer was still
      // trickling (its DRIP_MS, six times UPSTREAM_TIMEOUT_MS, had not ended), not after the trickle finished.
      expect(upstream.events[0]).toBe('request received');
      expect(await afterTheRequest(upstream)).toBe('closed by the gateway');
    } finally {
      await stack.stop();
      await upstream.close();
    }
  }, 30_000);
});
