import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import {
  AutoCaptureTarget,
  awaitsAutomaticCapture,
  bookAutomaticCapture,
  findAutoCaptureTarget,
  recordAutomaticCaptureFailure,
} from '../../src/payments/automatic-capture.repository';
import { Capture } from '../../src/payments/capture.entity';
import { insertMerchant, insertPayment, timeline } from './support/rows';
import { freshDatabase, TestDatabase } from './support/test-database';

/** captureMode AUTOMATIC bookkeeping as ONE guarded statement: however many copies of the notification race, one books. */
describe('automatic capture booking (db)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let merchantId: string;

  beforeAll(async () => {
    db = await freshDatabase(12);
    ds = db.ds;
    merchantId = await insertMerchant(ds);
  });
  afterAll(() => db?.drop());

  const settled = (fields: Record<string, unknown> = {}) =>
    insertPayment(ds, merchantId, {
      status: 'SUCCEEDED',
      captureMode: 'AUTOMATIC',
      authorizedAmount: 1000n,
      upstreamPaymentId: `up_${randomUUID()}`,
      paymentNotifyUrl: 'https://merchant.example/notify',
      ...fields,
    });

  const capture = (t: AutoCaptureTarget): Capture =>
    Object.assign(new Capture(), {
      id: randomUUID(),
      captureId: `gwc_${randomUUID().slice(0, 8)}`,
      captureRequestId: `auto_${t.id}`,
      requestHash: '0'.repeat(64),
      currency: t.currency,
      amount: t.authorizedAmount,
      upstreamCaptureId: `upc_${t.id}`,
      captureTime: new Date(),
      acquirerReferenceNo: 'ARN1',
    });
  const notice = (t: AutoCaptureTarget, url: string | null = 'https://merchant.example/notify') => ({
    dedupeKey: `CAPTURE_RESULT:${t.id}`,
    url,
    payload: { notifyType: 'CAPTURE_RESULT' },
  });

  it("finds the target by our id and by the acquirer's paymentId, with amounts as bigint; an unknown id is null", async () => {
    const p = await settled();
    const byId = await findAutoCaptureTarget(ds, { id: p.id });
    expect(byId).toEqual(await findAutoCaptureTarget(ds, { upstreamPaymentId: p.upstreamPaymentId! }));
    expect(byId).toMatchObject({
      id: p.id,
      paymentId: p.paymentId,
      status: 'SUCCEEDED',
      captureMode: 'AUTOMATIC',
      authorizedAmount: 1000n,
      capturedAmount: 0n,
    });
    expect(awaitsAutomaticCapture(byId!)).toBe(true);
    expect(await findAutoCaptureTarget(ds, { upstreamPaymentId: 'nobody' })).toBeNull();
  });

  it('ten copies of the capture notification at once book one capture, one notice and one pair of timeline rows', async () => {
    const p = await settled();
    const t = (await findAutoCaptureTarget(ds, { id: p.id }))!;
    const booked = await Promise.all(Array.from({ length: 10 }, () => bookAutomaticCapture(ds, t, capture(t), notice(t))));
    expect(booked.filter(Boolean)).toHaveLength(1);
    const captures = await ds.query(
      `SELECT amount::text AS amount, automatic, is_last, status, acquirer_reference_no FROM capture WHERE payment_id = $1`,
      [p.id],
    );
    expect(captures).toEqual([{ amount: '1000', automatic: true, is_last: true, status: 'SUCCESS', acquirer_reference_no: 'ARN1' }]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM merchant_notification WHERE payment_id = $1`, [p.id]))[0].n).toBe(1);
    expect((await timeline(ds, p.id)).slice(1)).toEqual([
      ['CAPTURED', 'SUCCEEDED', 'SUCCEEDED'],
      ['NOTIFICATION_QUEUED', null, null],
    ]);
    const after = (await findAutoCaptureTarget(ds, { id: p.id }))!;
    expect([after.capturedAmount, awaitsAutomaticCapture(after)]).toEqual([1000n, false]);
  });

  it('books nothing when the authorized amount moved since the target was read, or the payment is not a settled automatic capture', async () => {
    const moved = await settled();
    const stale = (await findAutoCaptureTarget(ds, { id: moved.id }))!;
    await ds.query(`UPDATE payment SET authorized_amount = 1200 WHERE id = $1`, [moved.id]);
    expect(await bookAutomaticCapture(ds, stale, capture(stale), notice(stale))).toBe(false);
    const manual = await settled({ captureMode: 'MANUAL' });
    const m = (await findAutoCaptureTarget(ds, { id: manual.id }))!;
    expect(awaitsAutomaticCapture(m)).toBe(false);
    expect(await bookAutomaticCapture(ds, m, capture(m), notice(m))).toBe(false);
    const failed = await settled({ status: 'FAILED' });
    const f = (await findAutoCaptureTarget(ds, { id: failed.id }))!;
    expect(await bookAutomaticCapture(ds, f, capture(f), notice(f))).toBe(false);
    expect(
      (await ds.query(`SELECT count(*)::int AS n FROM capture WHERE payment_id = ANY($1::uuid[])`, [[moved.id, manual.id, failed.id]]))[0].n,
    ).toBe(0);
  });

  it('without a notify URL: the capture is booked, no notice and no NOTIFICATION_QUEUED row', async () => {
    const p = await settled({ paymentNotifyUrl: null });
    const t = (await findAutoCaptureTarget(ds, { id: p.id }))!;
    expect(await bookAutomaticCapture(ds, t, capture(t), notice(t, null))).toBe(true);
    expect((await ds.query(`SELECT count(*)::int AS n FROM merchant_notification WHERE payment_id = $1`, [p.id]))[0].n).toBe(0);
    expect((await timeline(ds, p.id)).slice(1)).toEqual([['CAPTURED', 'SUCCEEDED', 'SUCCEEDED']]);
  });

  it('a failed automatic capture is a timeline row only: status and amounts unchanged', async () => {
    const p = await settled();
    const t = (await findAutoCaptureTarget(ds, { id: p.id }))!;
    await recordAutomaticCaptureFailure(ds, t, 'PROCESS_FAIL');
    const [ev] = await ds.query(`SELECT type, from_status, to_status, detail FROM payment_event WHERE payment_id = $1 ORDER BY id DESC LIMIT 1`, [
      p.id,
    ]);
    expect(ev).toEqual({ type: 'AUTO_CAPTURE_FAILED', from_status: 'SUCCEEDED', to_status: 'SUCCEEDED', detail: { resultCode: 'PROCESS_FAIL' } });
    expect(await findAutoCaptureTarget(ds, { id: p.id })).toEqual(t);
  });
});
