import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { request } from 'undici';

import { generateRsaKeyPair, loadPrivateKey } from '../../src/antom/keys';
import { formatSignatureHeader, sign } from '../../src/antom/signature';
import { GatewayConfig } from '../../src/config/gateway-config';
import { s2sPay } from '../support/fixtures';
import { waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

describe('lifecycle edges: inbound notification trust, authorization expiry policies', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ WORKER_POLL_MS: '100', AUTH_EXPIRY_LEAD_SECONDS: '3600' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const row = async (paymentId: string) =>
    (await stack.db.query('SELECT id, status, captured_amount::text AS captured FROM payment WHERE payment_id = $1', [paymentId]))[0];
  const creds = () => JSON.parse(fs.readFileSync(path.join(stack.app.get(GatewayConfig).dataDir, 'keys', 'sandbox-credentials.json'), 'utf8'));

  async function notify(body: object, privateKeyPem: string) {
    const raw = JSON.stringify(body);
    const time = new Date().toISOString();
    const clientId = creds().clientId;
    const signature = sign({ path: '/antom/notify', clientId, time, body: raw }, loadPrivateKey(privateKeyPem));
    const res = await request(`${stack.gatewayUrl}/antom/notify`, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'client-id': clientId, 'request-time': time, signature: formatSignatureHeader(signature) },
    });
    return { status: res.statusCode, body: (await res.body.json()) as { result: { resultStatus: string; resultCode: string } } };
  }

  it('does not trust a notification with a forged signature: not applied, not acknowledged, inquired instead', async () => {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL' }));
    const { id } = await row(pay.body.paymentId);
    const forged = await notify(
      { notifyType: 'PAYMENT_RESULT', paymentRequestId: id, result: { resultStatus: 'F', resultCode: 'DO_NOT_HONOR', resultMessage: 'x' } },
      generateRsaKeyPair().privateKeyPem,
    );
    expect(forged.status).toBe(200);
    expect(forged.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    expect((await row(pay.body.paymentId)).status).toBe('AUTHORIZED');
  });

  it('acknowledges genuine duplicates and never lets a final state move backwards', async () => {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL' }));
    const { id } = await row(pay.body.paymentId);
    const late = {
      notifyType: 'PAYMENT_RESULT',
      paymentRequestId: id,
      paymentId: 'sbx_whatever',
      result: { resultStatus: 'F', resultCode: 'DO_NOT_HONOR', resultMessage: 'late' },
    };
    for (let i = 0; i < 3; i++) {
      const res = await notify(late, creds().sandboxPrivateKeyPem);
      expect(res.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    }
    expect((await row(pay.body.paymentId)).status).toBe('AUTHORIZED');
  });

  it('a genuine success notification for a cancelled payment cannot resurrect it; the void is sent again', async () => {
    const challenged = s2sPay({ captureMode: 'MANUAL', cardNo: '4000000000003220' });
    challenged.paymentMethod.paymentMethodMetaData.is3DSAuthentication = true;
    const pay = await stack.merchant.post('payments/pay', challenged);
    expect(pay.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const cancel = await stack.merchant.post('payments/cancel', { paymentId: pay.body.paymentId });
    expect(cancel.body.result.resultStatus).toBe('S');
    const { id } = await row(pay.body.paymentId);
    const late = {
      notifyType: 'PAYMENT_RESULT',
      paymentRequestId: id,
      paymentId: 'sbx_late',
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'late' },
    };
    expect((await notify(late, creds().sandboxPrivateKeyPem)).body.result.resultStatus).toBe('S');
    expect((await row(pay.body.paymentId)).status).toBe('CANCELLED');
    const types = async () =>
      (await stack.db.query('SELECT type FROM payment_event WHERE payment_id = $1 ORDER BY id', [id])).map((e: { type: string }) => e.type);
    expect(await types()).toContain('LATE_SUCCESS_AFTER_CANCEL');
    await waitFor(
      async () => (await stack.db.query('SELECT next_reconcile_at FROM payment WHERE id = $1', [id]))[0].next_reconcile_at === null,
      10_000,
    );
  });

  async function merchantWithPolicy(policy: string) {
    const m = await stack.newMerchant();
    await stack.db.query('UPDATE merchant SET auth_expiry_policy = $1 WHERE client_id = $2', [policy, m.clientId]);
    return m;
  }

  it.each([
    ['CAPTURE', 'CAPTURED', '8000'],
    ['VOID', 'CANCELLED', '0'],
  ])('policy %s acts on an authorization nearing authExpiryTime → %s', async (policy, expected, captured) => {
    const m = await merchantWithPolicy(policy);
    const pay = await m.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '8000' }));
    expect(pay.body.result.resultStatus).toBe('S');
    await stack.db.query(`UPDATE payment SET auth_expiry_time = now() + interval '10 minutes' WHERE payment_id = $1`, [pay.body.paymentId]);
    const r = await waitFor(async () => {
      const x = await row(pay.body.paymentId);
      return x.status === expected ? x : null;
    }, 15_000);
    expect(r.captured).toBe(captured);
  });

  it('policy EXPIRE lets the hold lapse: EXPIRED, and a capture after it is refused with AUTH_EXPIRED', async () => {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL' }));
    await stack.db.query(`UPDATE payment SET auth_expiry_time = now() - interval '1 second' WHERE payment_id = $1`, [pay.body.paymentId]);
    await waitFor(async () => (await row(pay.body.paymentId)).status === 'EXPIRED', 15_000);
    const cap = await stack.merchant.post('payments/capture', {
      captureRequestId: randomUUID(),
      paymentId: pay.body.paymentId,
      captureAmount: { currency: 'EUR', value: '100' },
    });
    expect(cap.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'AUTH_EXPIRED' });
  });
});
