import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import type { OutboundNotification } from '../../src/notifications/outbox/outbound-notification';
import { ClaimedNotification, DeliveryRecord, enqueueCtes, OutboxRepository } from '../../src/notifications/outbox/outbox.repository';
import { sql, withCtes } from '../../src/platform/database/sql';
import { insertMerchant, insertPayment, timeline } from './support/rows';
import { freshDatabase, TestDatabase } from './support/test-database';

/** The merchant-notification outbox: dedupe, holds, the per-payment order of the claim, leases across instances, results. */
describe('OutboxRepository (db)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let outbox: OutboxRepository;
  let merchantId: string;

  beforeAll(async () => {
    db = await freshDatabase(8);
    ds = db.ds;
    outbox = new OutboxRepository(ds);
    merchantId = await insertMerchant(ds);
  });
  afterAll(() => db?.drop());
  // Each test starts with an empty outbox: claims see only its own notices.
  beforeEach(() => ds.query(`DELETE FROM merchant_notification`));

  const notice = (
    paymentId: string,
    notifyType: OutboundNotification['notifyType'] = 'PAYMENT_RESULT',
    fields: Partial<OutboundNotification> = {},
  ): OutboundNotification => ({
    merchantId,
    paymentId,
    notifyType,
    dedupeKey: `${notifyType}:${paymentId}`,
    url: 'https://merchant.example/notify',
    payload: { notifyType, paymentId },
    ...fields,
  });
  const result = (c: ClaimedNotification, status: DeliveryRecord['status'], outcome: DeliveryRecord['outcome']): DeliveryRecord => ({
    id: c.id,
    paymentId: c.payment_id,
    status,
    delayMs: status === 'PENDING' ? 60_000 : 0,
    error: outcome === 'ACKED' ? null : 'HTTP 500',
    attempt: c.attempts,
    httpStatus: outcome === 'ERROR' ? null : outcome === 'ACKED' ? 200 : 500,
    outcome,
    durationMs: 12,
    attemptedAt: new Date(),
    detail: JSON.stringify({ attempt: c.attempts }),
  });
  const statusOf = async (id: string) => (await ds.query(`SELECT status FROM merchant_notification WHERE id = $1`, [id]))[0].status;

  it('enqueue is idempotent on the dedupe key: one notice and one NOTIFICATION_QUEUED row however often the outcome is enqueued', async () => {
    const p = await insertPayment(ds, merchantId);
    await Promise.all([outbox.enqueue(ds, notice(p.id)), outbox.enqueue(ds, notice(p.id)), outbox.enqueue(ds, notice(p.id))]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM merchant_notification WHERE payment_id = $1`, [p.id]))[0].n).toBe(1);
    expect((await timeline(ds, p.id)).filter(([t]) => t === 'NOTIFICATION_QUEUED')).toHaveLength(1);
    // No URL: nothing to send, nothing written.
    const q = await insertPayment(ds, merchantId);
    await outbox.enqueue(ds, notice(q.id, 'PAYMENT_RESULT', { url: null }));
    expect((await ds.query(`SELECT count(*)::int AS n FROM merchant_notification WHERE payment_id = $1`, [q.id]))[0].n).toBe(0);
  });

  it("claims a payment's notices in order: CAPTURE_RESULT waits while its PAYMENT_RESULT is pending, then goes", async () => {
    const p = await insertPayment(ds, merchantId);
    await outbox.enqueue(ds, notice(p.id, 'PAYMENT_RESULT'));
    await outbox.enqueue(ds, notice(p.id, 'CAPTURE_RESULT'));
    const [first, ...rest] = await outbox.claimDue(30, 10);
    expect([first.notify_type, rest]).toEqual(['PAYMENT_RESULT', []]);
    expect(await outbox.claimDue(30, 10)).toEqual([]); // the first is leased, still pending: the second waits
    await outbox.recordDeliveries([result(first, 'DELIVERED', 'ACKED')]);
    // Acknowledged: the notice and its attempt log say so; the timeline gets no row for it (issue 27).
    expect(await statusOf(first.id)).toBe('DELIVERED');
    expect(await ds.query(`SELECT outcome FROM notification_attempt WHERE notification_id = $1`, [first.id])).toEqual([{ outcome: 'ACKED' }]);
    expect((await timeline(ds, p.id)).map(([t]) => t)).toEqual(['CREATED', 'NOTIFICATION_QUEUED', 'NOTIFICATION_QUEUED']);
    const next = await outbox.claimDue(30, 10);
    expect(next.map((c) => c.notify_type)).toEqual(['CAPTURE_RESULT']);
    expect(next[0].client_id).toMatch(/^SANDBOX_DB/);
  });

  it('a failed attempt is logged, put back with its delay, and keeps the later notice of its payment waiting', async () => {
    const p = await insertPayment(ds, merchantId);
    await outbox.enqueue(ds, notice(p.id, 'PAYMENT_RESULT'));
    await outbox.enqueue(ds, notice(p.id, 'REFUND_RESULT'));
    const [c] = await outbox.claimDue(30, 10);
    await outbox.recordDeliveries([result(c, 'PENDING', 'REJECTED')]);
    expect(await statusOf(c.id)).toBe('PENDING');
    expect(await outbox.claimDue(30, 10)).toEqual([]); // backing off a minute; the refund notice waits behind it
    const [attempt] = await ds.query(`SELECT attempt, http_status, outcome, error FROM notification_attempt WHERE notification_id = $1`, [c.id]);
    expect(attempt).toEqual({ attempt: 1, http_status: 500, outcome: 'REJECTED', error: 'HTTP 500' });
    expect((await timeline(ds, p.id)).at(-1)).toEqual(['NOTIFICATION_REJECTED', null, null]);
    expect((await outbox.backlog()).pending).toBe(2);
  });

  it('a held notice is neither claimed nor retried by a person until released; released, it is due with its final body', async () => {
    const p = await insertPayment(ds, merchantId);
    const n = notice(p.id);
    await ds.query(...asArgs(withCtes(enqueueCtes(n, undefined, 3600), sql('SELECT 1'))));
    const [{ id }] = await ds.query(`SELECT id FROM merchant_notification WHERE payment_id = $1`, [p.id]);
    expect(await outbox.claimDue(30, 10)).toEqual([]);
    expect(await outbox.retryNow(ds, p.id, id, 'admin:alice')).toBe(false);
    expect(await outbox.releaseHeld(ds, { ...n, payload: { final: true } })).toBe(true);
    expect(await outbox.releaseHeld(ds, n)).toBe(false); // once
    const [c] = await outbox.claimDue(30, 10);
    expect(JSON.parse(c.body)).toEqual({ final: true });
    expect((await timeline(ds, p.id)).map(([t]) => t).filter((t) => t.startsWith('NOTIFICATION_'))).toEqual([
      'NOTIFICATION_HELD',
      'NOTIFICATION_QUEUED',
    ]);
  });

  it("a person's retry makes a FAILED notice due now, with its timeline row; a delivered one is left alone", async () => {
    const p = await insertPayment(ds, merchantId);
    await outbox.enqueue(ds, notice(p.id));
    const [c] = await outbox.claimDue(30, 10);
    await outbox.recordDeliveries([result(c, 'FAILED', 'ERROR')]);
    expect(await outbox.claimDue(30, 10)).toEqual([]);
    expect(await outbox.retryNow(ds, p.id, c.id, 'admin:alice')).toBe(true);
    expect((await timeline(ds, p.id)).at(-1)).toEqual(['NOTIFICATION_RETRY_REQUESTED', null, null]);
    const [again] = await outbox.claimDue(30, 10);
    expect([again.id, again.attempts]).toEqual([c.id, 2]);
    await outbox.recordDeliveries([result(again, 'DELIVERED', 'ACKED')]);
    expect(await outbox.retryNow(ds, p.id, c.id, 'admin:alice')).toBe(false);
    expect(await outbox.retryNow(ds, randomUUID(), c.id, 'admin:alice')).toBe(false); // another payment's id: no
  });

  it('three instances claiming at once lease disjoint notices, at most one per payment, and all of the due ones', async () => {
    const payments = await Promise.all(Array.from({ length: 9 }, () => insertPayment(ds, merchantId)));
    for (const p of payments) {
      await outbox.enqueue(ds, notice(p.id, 'PAYMENT_RESULT'));
      await outbox.enqueue(ds, notice(p.id, 'CAPTURE_RESULT'));
    }
    const instances = [outbox, new OutboxRepository(await db.second()), new OutboxRepository(await db.second())];
    const claims = (await Promise.all(instances.map((o) => o.claimDue(30, 4)))).flat();
    const ids = claims.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(claims.every((c) => c.notify_type === 'PAYMENT_RESULT')).toBe(true);
    expect(new Set(claims.map((c) => c.payment_id)).size).toBe(claims.length);
    // What the three left is claimed next; the CAPTURE_RESULTs stay behind their leased PAYMENT_RESULTs.
    const rest = await outbox.claimDue(30, 20);
    expect([...claims, ...rest].map((c) => c.payment_id).sort()).toEqual(payments.map((p) => p.id).sort());
    expect(rest.every((c) => c.notify_type === 'PAYMENT_RESULT')).toBe(true);
  });
});

function asArgs(s: { text: string; values: unknown[] }): [string, unknown[]] {
  return [s.text, s.values];
}
