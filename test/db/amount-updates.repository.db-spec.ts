import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { AmountUpdate } from '../../src/payments/amount-update.entity';
import { AmountUpdatesRepository } from '../../src/payments/amount-updates.repository';
import { Payment } from '../../src/payments/payment.entity';
import { eventInsert } from '../../src/payments/payments.repository';
import { insertMerchant, insertPayment, timeline } from './support/rows';
import { freshDatabase, TestDatabase } from './support/test-database';

/** Incremental authorizations: the idempotency key, one update in flight per payment, the resend queue's backoff. */
describe('AmountUpdatesRepository (db)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let repo: AmountUpdatesRepository;
  let merchantId: string;

  beforeAll(async () => {
    db = await freshDatabase();
    ds = db.ds;
    repo = new AmountUpdatesRepository(ds);
    merchantId = await insertMerchant(ds);
  });
  afterAll(() => db?.drop());

  const authorized = () => insertPayment(ds, merchantId, { status: 'AUTHORIZED', authorizedAmount: 1000n });
  const update = (p: Payment, fields: Partial<AmountUpdate> = {}): AmountUpdate =>
    Object.assign(new AmountUpdate(), {
      id: randomUUID(),
      merchantId: p.merchantId,
      paymentId: p.id,
      updateRequestId: `UPD_${randomUUID()}`,
      requestHash: '1'.repeat(64),
      currency: 'EUR',
      amount: 1500n,
      previousAmount: 1000n,
      status: 'PROCESSING',
      nextReconcileAt: new Date(Date.now() + 3_600_000),
      ...fields,
    } satisfies Partial<AmountUpdate>);
  const reserve = (row: AmountUpdate) =>
    ds.transaction((tx) =>
      repo.reserve(
        tx,
        row,
        eventInsert([row.paymentId, 'AMOUNT_UPDATE_REQUESTED', null, null, row.amount, { updateRequestId: row.updateRequestId }]),
      ),
    );

  it("reserves the update with its timeline row in one statement (as the service does), and reads it back by the merchant's request id", async () => {
    const p = await authorized();
    const row = update(p);
    await reserve(row);
    expect(await repo.find({ merchantId, updateRequestId: row.updateRequestId })).toMatchObject({
      id: row.id,
      amount: 1500n,
      previousAmount: 1000n,
      status: 'PROCESSING',
    });
    expect(await repo.statusOf(row.id)).toBe('PROCESSING');
    expect(await repo.statusOf(randomUUID())).toBeNull();
    expect((await timeline(ds, p.id)).at(-1)).toEqual(['AMOUNT_UPDATE_REQUESTED', null, null]);
  });

  it("the merchant's updateRequestId is an idempotency key: a second row with it is refused, and its timeline row with it", async () => {
    const p = await authorized();
    const first = update(p);
    await reserve(first);
    await ds.query(`UPDATE amount_update SET status = 'SUCCESS' WHERE id = $1`, [first.id]);
    await expect(reserve(update(p, { updateRequestId: first.updateRequestId, amount: 2000n }))).rejects.toMatchObject({ code: '23505' });
    expect((await timeline(ds, p.id)).filter(([t]) => t === 'AMOUNT_UPDATE_REQUESTED')).toHaveLength(1);
  });

  it('at most one update of a payment in flight: two reservations at once, one wins (the partial unique index)', async () => {
    const p = await authorized();
    const results = await Promise.allSettled([reserve(update(p)), reserve(update(p, { amount: 1700n }))]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
    const open = await ds.transaction((tx) => repo.inFlight(tx, p.id));
    expect(open?.status).toBe('PROCESSING');
    // Once final, the next one may go.
    await ds.transaction(async (tx) => {
      const row = (await repo.lock(tx, open!.id))!;
      row.status = 'SUCCESS';
      row.nextReconcileAt = null;
      await repo.save(tx, row);
    });
    await reserve(update(p, { amount: 1800n, previousAmount: 1500n }));
    expect(await repo.succeeded(ds, p.id)).toBe(1);
  });

  it('refuses an update that does not raise the authorization (CHECK amount > previous_amount)', async () => {
    const p = await authorized();
    await expect(reserve(update(p, { amount: 1000n }))).rejects.toMatchObject({ code: '23514' });
  });

  it('claimDue: only due PROCESSING rows, each attempt counted, the next look backing off base × 2^attempts up to the cap', async () => {
    const p1 = await authorized();
    const p2 = await authorized();
    const p3 = await authorized();
    const due = update(p1, { nextReconcileAt: new Date(Date.now() - 1000) });
    const later = update(p2, { nextReconcileAt: new Date(Date.now() + 3_600_000) });
    const done = update(p3, { status: 'SUCCESS', nextReconcileAt: new Date(Date.now() - 1000) });
    for (const r of [due, later, done]) await reserve(r);
    const dbNow = async (): Promise<number> => (await ds.query(`SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8 AS t`))[0].t;
    const nextLook = async (): Promise<number> =>
      (await ds.query(`SELECT EXTRACT(EPOCH FROM next_reconcile_at)::float8 AS t FROM amount_update WHERE id = $1`, [due.id]))[0].t;
    /** Claims, and checks the next look is `seconds` after the claim (bounded by the database clock before and after it, whatever the load). */
    const claimPushesOut = async (attempts: number, seconds: number) => {
      const before = await dbNow();
      expect(await repo.claimDue(10, 100, 10)).toEqual([{ id: due.id, attempts }]);
      const after = await dbNow();
      const next = await nextLook();
      expect(next).toBeGreaterThanOrEqual(before + seconds - 0.001);
      expect(next).toBeLessThanOrEqual(after + seconds + 0.001);
    };

    await claimPushesOut(1, 10); // base × 2^0
    expect(await repo.claimDue(10, 100, 10)).toEqual([]); // pushed out: not due again yet
    for (const [attempts, seconds] of [
      [2, 20],
      [3, 40],
      [4, 80],
      [5, 100],
      [6, 100],
    ] as const) {
      await repo.reconcileNow(due.id);
      await claimPushesOut(attempts, seconds); // doubled per attempt, at most the cap
    }
  });

  it('claimDue across instances: concurrent claims are disjoint (SKIP LOCKED) and cover every due row', async () => {
    const rows = [];
    for (let i = 0; i < 6; i++) {
      const r = update(await authorized(), { nextReconcileAt: new Date(Date.now() - 1000) });
      await reserve(r);
      rows.push(r.id);
    }
    const other = new AmountUpdatesRepository(await db.second());
    const claims = await Promise.all([repo.claimDue(10, 100, 4), other.claimDue(10, 100, 4)]);
    const ids = claims.flat().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(rows.sort());
  });
});
