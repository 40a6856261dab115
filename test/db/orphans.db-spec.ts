import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import type { OutboundNotification } from '../../src/notifications/outbox/outbound-notification';
import { noticeQueuedAlong, OutboxRepository } from '../../src/notifications/outbox/outbox.repository';
import { AutoCaptureTarget, bookAutomaticCapture, findAutoCaptureTarget } from '../../src/payments/automatic-capture.repository';
import { Capture } from '../../src/payments/capture.entity';
import { Payment } from '../../src/payments/payment.entity';
import { PaymentsRepository } from '../../src/payments/payments.repository';
import { insertMerchant, insertPayment, newPayment } from './support/rows';
import { freshDatabase, TestDatabase } from './support/test-database';

/**
 * The hot tables' children (payment_event, merchant_notification, notification_attempt, capture) have no foreign keys
 * (migration HotTableForeignKeys): each writer takes the parent from the statement or transaction that wrote
 * or locked it. Driven here through every writer of the pay path — including a writer handed a payment that
 * does not exist — and checked with the operator's own query: no orphan can be written.
 */
describe('hot tables without foreign keys: no orphan (db)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let payments: PaymentsRepository;
  let outbox: OutboxRepository;
  let merchantId: string;

  beforeAll(async () => {
    db = await freshDatabase(4);
    ds = db.ds;
    payments = new PaymentsRepository(ds);
    outbox = new OutboxRepository(ds);
    merchantId = await insertMerchant(ds);
  });
  afterAll(() => db?.drop());

  const notice = (p: Payment, notifyType: OutboundNotification['notifyType'] = 'PAYMENT_RESULT'): OutboundNotification => ({
    merchantId: p.merchantId,
    paymentId: p.id,
    notifyType,
    dedupeKey: `${notifyType}:${p.id}`,
    url: 'https://merchant.example/notify',
    payload: { notifyType, paymentId: p.paymentId },
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
    });
  const NONE = { paymentEvent: 0, capture: 0, notificationPayment: 0, notificationMerchant: 0, attempt: 0 };
  const rows = async (table: string, paymentId: string) =>
    (await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE payment_id = $1`, [paymentId]))[0].n as number;

  it('the dropped foreign keys are gone (the checks the migration removes), the parents keep theirs', async () => {
    const fks: Array<{ conname: string }> = await ds.query(
      `SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN ('payment_event', 'merchant_notification', 'notification_attempt', 'capture', 'payment')`,
    );
    const names = fks.map((f) => f.conname).sort();
    expect(names).toEqual(expect.arrayContaining(['payment_merchant_id_fkey']));
    expect(
      names.filter((n) => /^(payment_event|notification_attempt|capture)_/.test(n) || /^merchant_notification_(payment|merchant)_id/.test(n)),
    ).toEqual([]);
  });

  it('every writer of the pay path, then delivery: all children have their parents', async () => {
    // The pay: payment + CREATED; the answer with its notice; the automatic capture booked with its notice.
    const p = await insertPayment(ds, merchantId, { captureMode: 'AUTOMATIC', paymentNotifyUrl: 'https://merchant.example/notify' });
    const applied = await payments.applyPayOutcome(
      ds,
      p,
      'fresh',
      'SUCCEEDED',
      'AUTHORIZATION_RESPONSE',
      { authorizedAmount: 1000n, resultStatus: 'S', upstreamPaymentId: `up_${p.id}` },
      {},
      (next) => [noticeQueuedAlong(notice(next))],
    );
    expect(applied).toBe(true);
    const t = (await findAutoCaptureTarget(ds, { id: p.id }))!;
    expect(
      await bookAutomaticCapture(ds, t, capture(t), { dedupeKey: `CAPTURE_RESULT:${p.id}`, url: 'https://merchant.example/notify', payload: {} }),
    ).toBe(true);
    // Delivery: claimed, then the results with their attempt rows and timeline rows.
    const claimed = await outbox.claimDue(60, 10);
    expect(claimed.length).toBeGreaterThan(0);
    await outbox.recordDeliveries(
      claimed.map((c) => ({
        id: c.id,
        paymentId: c.payment_id,
        status: 'DELIVERED' as const,
        delayMs: 0,
        error: null,
        attempt: c.attempts,
        httpStatus: 200,
        outcome: 'ACKED' as const,
        durationMs: 3,
        attemptedAt: new Date(),
        detail: JSON.stringify({ attempt: c.attempts }),
      })),
    );
    expect(await rows('payment_event', p.id)).toBeGreaterThanOrEqual(3);
    expect(await rows('merchant_notification', p.id)).toBe(2);
    expect({ ...(await payments.orphanCounts()), ...(await outbox.orphanCounts()) }).toEqual(NONE);
  });

  it('a writer handed a payment that is not in the table writes nothing: the child rows come FROM the parent row the statement changed', async () => {
    const ghost = newPayment(merchantId, { captureMode: 'AUTOMATIC', paymentNotifyUrl: 'https://merchant.example/notify' }); // never inserted
    const applied = await payments.applyPayOutcome(
      ds,
      Object.assign(new Payment(), ghost),
      'fresh',
      'SUCCEEDED',
      'AUTHORIZATION_RESPONSE',
      { authorizedAmount: 1000n, resultStatus: 'S' },
      {},
      (next) => [noticeQueuedAlong(notice(next))],
    );
    expect(applied).toBe(false);
    const locked = await payments.applyPayOutcome(
      ds,
      Object.assign(new Payment(), ghost),
      'locked',
      'SUCCEEDED',
      'AUTHORIZATION_INQUIRY',
      {},
      {},
      (next) => [noticeQueuedAlong(notice(next))],
    );
    expect(locked).toBe(false);
    const target: AutoCaptureTarget = {
      id: ghost.id,
      paymentId: ghost.paymentId,
      merchantId,
      status: 'SUCCEEDED',
      captureMode: 'AUTOMATIC',
      currency: 'EUR',
      authorizedAmount: 1000n,
      capturedAmount: 0n,
      paymentNotifyUrl: 'https://merchant.example/notify',
    };
    expect(
      await bookAutomaticCapture(ds, target, capture(target), { dedupeKey: `CAPTURE_RESULT:${ghost.id}`, url: 'https://x.example/n', payload: {} }),
    ).toBe(false);
    for (const table of ['payment_event', 'merchant_notification', 'capture']) expect(await rows(table, ghost.id)).toBe(0);
    expect({ ...(await payments.orphanCounts()), ...(await outbox.orphanCounts()) }).toEqual(NONE);
  });

  it('the operator query finds an orphan when one is planted (so a 0 above means something)', async () => {
    const [{ id }] = await ds.query(`INSERT INTO payment_event (payment_id, type, detail) VALUES ($1, 'PLANTED', '{}') RETURNING id`, [randomUUID()]);
    expect((await payments.orphanCounts()).paymentEvent).toBe(1);
    await ds.query(`DELETE FROM payment_event WHERE id = $1`, [id]);
  });
});
