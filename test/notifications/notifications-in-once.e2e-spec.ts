import { randomUUID } from 'node:crypto';

import { notifyAsAcquirer } from '../support/acquirer-notify';
import { s2sPay } from '../support/fixtures';
import { startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/**
 * Inbound notifications decided from the payment's own state (one read, at most one write): copies racing
 * each other, or racing the other road, are applied exactly once, and a first result still settles.
 */
describe('inbound notifications applied exactly once', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    [stack, receiver] = await Promise.all([startTestStack({ WORKER_POLL_MS: '100' }), startReceiver()]);
  });
  afterAll(async () => {
    await Promise.all([stack?.stop(), receiver?.close()]);
  });

  const one = async (sql: string, params: unknown[]) => (await stack.db.query(sql, params))[0];
  const count = async (sql: string, params: unknown[]) => Number((await one(sql, params)).n);

  const notify = async (body: object) => (await notifyAsAcquirer(stack, body)).body;

  const acked = (r: { result: Record<string, string> }) => r.result.resultStatus === 'S' && r.result.resultCode === 'SUCCESS';

  it('copies of an automatic CAPTURE_RESULT book one capture and one merchant notice, even when they race', async () => {
    const pay = await stack.merchant.post('payments/pay', s2sPay({ value: '4321', notifyUrl: `${receiver.url}/n` }));
    expect(pay.body.result.resultStatus).toBe('S');
    const p = await waitFor(async () => {
      const r = await one('SELECT id, upstream_payment_id, captured_amount::text AS captured FROM payment WHERE payment_id = $1', [
        pay.body.paymentId,
      ]);
      return r.captured === '4321' ? r : null;
    });
    const sent = await one(`SELECT body FROM sandbox.notification WHERE notify_type = 'CAPTURE_RESULT' AND body::jsonb->>'paymentId' = $1`, [
      p.upstream_payment_id,
    ]);
    const notice = JSON.parse(sent.body);
    const booked = async () => ({
      captures: await count('SELECT count(*) n FROM capture WHERE payment_id = $1', [p.id]),
      notices: await count(`SELECT count(*) n FROM merchant_notification WHERE payment_id = $1 AND notify_type = 'CAPTURE_RESULT'`, [p.id]),
      captured: await count(`SELECT count(*) n FROM payment_event WHERE payment_id = $1 AND type = 'CAPTURED'`, [p.id]),
    });

    // Late copies of what the acquirer already told us: acknowledged, nothing written.
    for (let i = 0; i < 3; i++) expect(acked(await notify(notice))).toBe(true);
    expect(await booked()).toEqual({ captures: 1, notices: 1, captured: 1 });

    // Back to the moment before the capture was booked, then eight copies at once: one wins the guard.
    await stack.db.query('DELETE FROM merchant_notification WHERE payment_id = $1 AND notify_type = $2', [p.id, 'CAPTURE_RESULT']);
    await stack.db.query('DELETE FROM capture WHERE payment_id = $1', [p.id]);
    await stack.db.query(`DELETE FROM payment_event WHERE payment_id = $1 AND type = 'CAPTURED'`, [p.id]);
    await stack.db.query('UPDATE payment SET captured_amount = 0 WHERE id = $1', [p.id]);
    const answers = await Promise.all(Array.from({ length: 8 }, () => notify(notice)));
    expect(answers.every(acked)).toBe(true);
    expect(await booked()).toEqual({ captures: 1, notices: 1, captured: 1 });
    expect(await one('SELECT status, captured_amount::text AS captured FROM payment WHERE id = $1', [p.id])).toEqual({
      status: 'SUCCEEDED',
      captured: '4321',
    });

    // The merchant's notice is captureResultNotice's shape, with the gateway's ids.
    const c = await one('SELECT id, capture_id, capture_request_id, upstream_capture_id, automatic, status FROM capture WHERE payment_id = $1', [
      p.id,
    ]);
    expect(c).toMatchObject({
      capture_request_id: `auto_${pay.body.paymentId}`,
      upstream_capture_id: notice.captureId,
      automatic: true,
      status: 'SUCCESS',
    });
    const queued = await one(`SELECT dedupe_key, body FROM merchant_notification WHERE payment_id = $1 AND notify_type = 'CAPTURE_RESULT'`, [p.id]);
    expect(queued.dedupe_key).toBe(`CAPTURE_RESULT:${c.id}`);
    expect(JSON.parse(queued.body)).toEqual({
      notifyType: 'CAPTURE_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
      captureRequestId: `auto_${pay.body.paymentId}`,
      paymentId: pay.body.paymentId,
      captureId: c.capture_id,
      captureAmount: { currency: pay.body.paymentAmount.currency, value: '4321' },
      captureTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      acquirerReferenceNo: notice.acquirerReferenceNo, // the acquirer's reference, passed on
    });
    const events = (await stack.db.query('SELECT type FROM payment_event WHERE payment_id = $1 ORDER BY id', [p.id])).map(
      (e: { type: string }) => e.type,
    );
    expect(events.filter((t: string) => t === 'CAPTURED')).toHaveLength(1);
    expect(events[events.indexOf('CAPTURED') + 1]).toBe('NOTIFICATION_QUEUED'); // the capture's notice, in the same statement
    await waitFor(async () => receiver.received.filter((r) => r.body.includes(c.capture_id)).length === 1);

    // Its refund: late copies of the acquirer's REFUND_RESULT are acknowledged and change nothing.
    const refund = await stack.merchant.post('payments/refund', {
      refundRequestId: randomUUID(),
      paymentId: pay.body.paymentId,
      refundAmount: { currency: pay.body.paymentAmount.currency, value: '1000' },
    });
    expect(refund.body.result.resultStatus).toBe('S');
    const r = await one('SELECT id FROM refund WHERE payment_id = $1', [p.id]);
    const refundNotice = JSON.parse(
      (
        await waitFor(async () =>
          one(`SELECT body FROM sandbox.notification WHERE notify_type = 'REFUND_RESULT' AND body::jsonb->>'refundRequestId' = $1`, [r.id]),
        )
      ).body,
    );
    for (let i = 0; i < 3; i++) expect(acked(await notify({ ...refundNotice, paymentId: p.upstream_payment_id }))).toBe(true);
    expect(await one('SELECT status, refunded_amount::text AS refunded FROM payment WHERE id = $1', [p.id])).toEqual({
      status: 'PARTIALLY_REFUNDED',
      refunded: '1000',
    });
    expect(await count(`SELECT count(*) n FROM merchant_notification WHERE payment_id = $1 AND notify_type = 'REFUND_RESULT'`, [p.id])).toBe(1);
    expect(await count(`SELECT count(*) n FROM payment_event WHERE payment_id = $1 AND type = 'REFUNDED'`, [p.id])).toBe(1);
  });

  it('a PAYMENT_RESULT for a payment still awaiting its result settles it exactly once, however many copies race', async () => {
    const challenged = s2sPay({ captureMode: 'MANUAL', cardNo: '4000000000003220', notifyUrl: `${receiver.url}/n` });
    challenged.paymentMethod.paymentMethodMetaData.is3DSAuthentication = true;
    const pay = await stack.merchant.post('payments/pay', challenged);
    expect(pay.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const p = await one('SELECT id, status, upstream_payment_id FROM payment WHERE payment_id = $1', [pay.body.paymentId]);
    expect(p.status).toBe('PENDING_ACTION');
    const result = {
      notifyType: 'PAYMENT_RESULT',
      paymentRequestId: p.id,
      paymentId: p.upstream_payment_id,
      paymentAmount: pay.body.paymentAmount,
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
      paymentTime: new Date().toISOString(),
      authExpiryTime: new Date(Date.now() + 7 * 86400_000).toISOString(),
    };
    const answers = await Promise.all(Array.from({ length: 6 }, () => notify(result)));
    expect(answers.every(acked)).toBe(true);
    expect((await one('SELECT status FROM payment WHERE id = $1', [p.id])).status).toBe('AUTHORIZED');
    expect(await count(`SELECT count(*) n FROM payment_event WHERE payment_id = $1 AND to_status = 'AUTHORIZED'`, [p.id])).toBe(1);
    expect(await count(`SELECT count(*) n FROM merchant_notification WHERE payment_id = $1 AND notify_type = 'PAYMENT_RESULT'`, [p.id])).toBe(1);
    // A later copy, and a contradicting F: acknowledged, and the final state does not move.
    expect(acked(await notify(result))).toBe(true);
    expect(acked(await notify({ ...result, result: { resultStatus: 'F', resultCode: 'DO_NOT_HONOR', resultMessage: 'late' } }))).toBe(true);
    expect((await one('SELECT status FROM payment WHERE id = $1', [p.id])).status).toBe('AUTHORIZED');
    expect(await count(`SELECT count(*) n FROM payment_event WHERE payment_id = $1 AND to_status = 'AUTHORIZED'`, [p.id])).toBe(1);
  });
});
