import { DataSource } from 'typeorm';

import { Payment } from '../../src/payments/payment.entity';
import { IllegalTransitionError } from '../../src/payments/payment-status';
import { eventInsert, PaymentsRepository } from '../../src/payments/payments.repository';
import { RideAlong } from '../../src/platform/database/ride-along';
import { insertMerchant, insertPayment, newPayment, timeline } from './support/rows';
import { freshDatabase, TestDatabase } from './support/test-database';

/** PaymentsRepository against PostgreSQL: the guarded transitions, the row lock, the SKIP LOCKED claims, expiry. */
describe('PaymentsRepository (db)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let repo: PaymentsRepository;
  let merchantId: string;

  beforeAll(async () => {
    db = await freshDatabase();
    ds = db.ds;
    repo = new PaymentsRepository(ds);
    merchantId = await insertMerchant(ds);
  });
  afterAll(() => db?.drop());

  it('inserts the payment and its CREATED timeline row in one statement; bigint amounts come back as bigint', async () => {
    const p = await insertPayment(ds, merchantId, { amount: 9_007_199_254_740_993n });
    const back = await repo.findByRequestId(merchantId, p.paymentRequestId);
    expect(back?.amount).toBe(9_007_199_254_740_993n); // past 2^53: a float would have rounded it
    expect(await timeline(ds, p.id)).toEqual([['CREATED', null, 'RECEIVED']]);
  });

  it('refuses a second payment with the same paymentRequestId for the merchant (the idempotency key), and writes no timeline row for it', async () => {
    const p = await insertPayment(ds, merchantId);
    const twin = newPayment(merchantId, { paymentRequestId: p.paymentRequestId });
    await expect(repo.insert(ds, twin, {})).rejects.toMatchObject({ code: '23505' });
    expect(await repo.findById(twin.id)).toBeNull();
    expect((await ds.query(`SELECT count(*)::int AS n FROM payment_event WHERE payment_id = $1`, [twin.id]))[0].n).toBe(0);
    // Another merchant may use the same request id.
    const other = await insertMerchant(ds);
    await expect(insertPayment(ds, other, { paymentRequestId: p.paymentRequestId })).resolves.toBeDefined();
  });

  it("transition: moves the status with its timeline row in the caller's transaction; an illegal move is refused before SQL and changes nothing", async () => {
    const p = await insertPayment(ds, merchantId);
    await ds.transaction(async (tx) => {
      const locked = (await repo.lock(tx, p.id))!;
      await repo.transition(tx, locked, 'AUTHORIZED', 'AUTHORIZED', { authorizedAmount: 1000n, resultStatus: 'S' });
    });
    const authorized = (await repo.findById(p.id))!;
    expect([authorized.status, authorized.authorizedAmount, authorized.resultStatus]).toEqual(['AUTHORIZED', 1000n, 'S']);
    await expect(ds.transaction((tx) => repo.transition(tx, authorized, 'RECEIVED', 'BACK', {}))).rejects.toBeInstanceOf(IllegalTransitionError);
    // A rolled-back transaction leaves neither the change nor its timeline row.
    await expect(
      ds.transaction(async (tx) => {
        await repo.transition(tx, authorized, 'CAPTURED', 'CAPTURED', { capturedAmount: 1000n });
        throw new Error('upstream said no');
      }),
    ).rejects.toThrow('upstream said no');
    expect((await repo.findById(p.id))!.status).toBe('AUTHORIZED');
    expect(await timeline(ds, p.id)).toEqual([
      ['CREATED', null, 'RECEIVED'],
      ['AUTHORIZED', 'RECEIVED', 'AUTHORIZED'],
    ]);
  });

  it('the amounts CHECK holds in the database too: captured above authorized is refused', async () => {
    const p = await insertPayment(ds, merchantId, { status: 'AUTHORIZED', authorizedAmount: 1000n });
    await expect(ds.transaction((tx) => repo.transition(tx, p, 'CAPTURED', 'CAPTURED', { capturedAmount: 1001n }))).rejects.toMatchObject({
      code: '23514',
    });
  });

  it('applyPayOutcome (fresh): of two writers holding the same stale row, exactly one wins; the loser changes nothing and adds no timeline row', async () => {
    const p = await insertPayment(ds, merchantId);
    const stale = () => Object.assign(new Payment(), p);
    const results = await Promise.all([
      repo.applyPayOutcome(ds, stale(), 'fresh', 'AUTHORIZED', 'AUTHORIZED', { authorizedAmount: 1000n }, {}, () => []),
      repo.applyPayOutcome(ds, stale(), 'fresh', 'FAILED', 'FAILED', { resultStatus: 'F' }, {}, () => []),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const final = (await repo.findById(p.id))!.status;
    expect(final).toBe(results[0] ? 'AUTHORIZED' : 'FAILED');
    expect(await timeline(ds, p.id)).toEqual([
      ['CREATED', null, 'RECEIVED'],
      [final, 'RECEIVED', final],
    ]);
  });

  it('applyPayOutcome: what rides along (the notice, the CVV destruction…) is written only when the guarded update matched', async () => {
    const p = await insertPayment(ds, merchantId);
    const mark = (tag: string) => (): RideAlong[] => [{ ctes: [['mark', eventInsert([p.id, 'MARK', null, null, null, { tag }], 'main')]] }];
    const marks = async () =>
      (await ds.query(`SELECT detail->>'tag' AS tag FROM payment_event WHERE payment_id = $1 AND type = 'MARK'`, [p.id])).map(
        (r: { tag: string }) => r.tag,
      );
    const moved = Object.assign(new Payment(), p, { status: 'RECEIVED' as const });
    await ds.query(`UPDATE payment SET status = 'UNKNOWN' WHERE id = $1`, [p.id]); // another road moved it: the fresh guard no longer matches
    expect(await repo.applyPayOutcome(ds, moved, 'fresh', 'AUTHORIZED', 'AUTHORIZED', {}, {}, mark('lost'))).toBe(false);
    expect(await marks()).toEqual([]);
    await ds.query(`UPDATE payment SET status = 'RECEIVED' WHERE id = $1`, [p.id]);
    expect(await repo.applyPayOutcome(ds, Object.assign(new Payment(), p), 'fresh', 'AUTHORIZED', 'AUTHORIZED', {}, {}, mark('won'))).toBe(true);
    expect(await marks()).toEqual(['won']);
  });

  it('lock: a second transaction on the same payment waits for the first to commit, then sees its change', async () => {
    const p = await insertPayment(ds, merchantId);
    const other = await db.second();
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let firstHasLock!: () => void;
    const locked = new Promise<void>((r) => (firstHasLock = r));
    const first = ds.transaction(async (tx) => {
      const row = (await repo.lock(tx, p.id))!;
      firstHasLock();
      await held;
      await repo.transition(tx, row, 'AUTHORIZED', 'AUTHORIZED', { authorizedAmount: 1000n });
      order.push('first committed');
    });
    await locked;
    const second = other.transaction(async (tx) => {
      const row = (await new PaymentsRepository(other).lock(tx, p.id))!;
      order.push(`second saw ${row.status}`);
    });
    // The second is blocked on the row lock: it is waiting in PostgreSQL, not done.
    await waitFor(
      async () => (await ds.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype IN ('transactionid', 'tuple')`))[0].n >= 1,
    );
    expect(order).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first committed', 'second saw AUTHORIZED']);
  });

  it('claimDueForReconcile: due payments only, oldest due first, pushed out by the lease; concurrent claims never share a row', async () => {
    const dueAt = async (minutesFromNow: number) => {
      const p = await insertPayment(ds, merchantId, { status: 'UNKNOWN' });
      await repo.setNextReconcile(ds, p.id, new Date(Date.now() + minutesFromNow * 60_000));
      return p.id;
    };
    const [middle, oldest, newest] = [await dueAt(-2), await dueAt(-3), await dueAt(-1)];
    await dueAt(60); // not due
    expect((await repo.reconcileQueue()).due).toBe(3);
    expect((await repo.claimDueForReconcile(60, 2)).sort()).toEqual([oldest, middle].sort());
    expect(await repo.claimDueForReconcile(60, 2)).toEqual([newest]);
    expect(await repo.claimDueForReconcile(60, 10)).toEqual([]); // leased: nothing due now
    expect((await repo.reconcileQueue()).due).toBe(0);

    // Three instances claim at once over eight due payments: disjoint claims that cover them all.
    const ids = await Promise.all(Array.from({ length: 8 }, () => dueAt(-1)));
    const instances = [repo, new PaymentsRepository(await db.second()), new PaymentsRepository(await db.second())];
    const claims = await Promise.all(instances.map((r) => r.claimDueForReconcile(60, 3)));
    const all = claims.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual([...ids].sort());
  });

  it('claimDueForReconcile skips a row another transaction holds locked instead of waiting for it', async () => {
    const p = await insertPayment(ds, merchantId, { status: 'UNKNOWN' });
    await repo.reconcileNow(ds, p.id);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let hasLock!: () => void;
    const locked = new Promise<void>((r) => (hasLock = r));
    const holder = (await db.second()).transaction(async (tx) => {
      await tx.query(`SELECT id FROM payment WHERE id = $1 FOR UPDATE`, [p.id]);
      hasLock();
      await held;
    });
    await locked;
    expect(await repo.claimDueForReconcile(60, 10)).toEqual([]); // returns at once, without the locked row
    release();
    await holder;
    expect(await repo.claimDueForReconcile(60, 10)).toEqual([p.id]);
  });

  it('reconcileBy only ever brings the next look forward; finishReconcile leaves a payment with an open capture due', async () => {
    const p = await insertPayment(ds, merchantId, { status: 'AUTHORIZED', authorizedAmount: 1000n });
    const soon = new Date(Date.now() + 60_000);
    await repo.reconcileBy(p.id, soon);
    await repo.reconcileBy(p.id, new Date(Date.now() + 3_600_000));
    expect((await repo.findById(p.id))!.nextReconcileAt!.getTime()).toBe(soon.getTime());
    await ds.query(
      `INSERT INTO capture (id, capture_id, merchant_id, payment_id, capture_request_id, request_hash, currency, amount, is_last, automatic, status)
       VALUES (gen_random_uuid(), 'gwc_open', $1, $2, 'CAP_open', repeat('0', 64), 'EUR', 500, false, false, 'PROCESSING')`,
      [merchantId, p.id],
    );
    await repo.finishReconcile(p.id);
    expect((await repo.findById(p.id))!.nextReconcileAt).not.toBeNull();
    await ds.query(`UPDATE capture SET status = 'SUCCESS' WHERE payment_id = $1`, [p.id]);
    await repo.finishReconcile(p.id);
    expect((await repo.findById(p.id))!.nextReconcileAt).toBeNull();
  });

  it('expirePastDue: expires exactly the statuses the transition table lets expire, past their authExpiryTime, with a timeline row each', async () => {
    const past = new Date(Date.now() - 60_000);
    const authorized = await insertPayment(ds, merchantId, { status: 'AUTHORIZED', authorizedAmount: 1000n, authExpiryTime: past });
    const notYet = await insertPayment(ds, merchantId, {
      status: 'AUTHORIZED',
      authorizedAmount: 1000n,
      authExpiryTime: new Date(Date.now() + 60_000),
    });
    const captured = await insertPayment(ds, merchantId, {
      status: 'CAPTURED',
      authorizedAmount: 1000n,
      capturedAmount: 1000n,
      authExpiryTime: past,
    });
    await repo.expirePastDue();
    expect((await repo.findById(authorized.id))!.status).toBe('EXPIRED');
    expect((await repo.findById(notYet.id))!.status).toBe('AUTHORIZED');
    expect((await repo.findById(captured.id))!.status).toBe('CAPTURED');
    expect((await timeline(ds, authorized.id)).at(-1)).toEqual(['AUTHORIZATION_EXPIRED', 'AUTHORIZED', 'EXPIRED']);
    await repo.expirePastDue(); // nothing twice
    expect((await timeline(ds, authorized.id)).filter(([t]) => t === 'AUTHORIZATION_EXPIRED')).toHaveLength(1);
  });

  it('releaseExpiredRemainders: a partly captured, expired authorization closes as CAPTURED or by its refunds, unless a capture is open', async () => {
    const past = new Date(Date.now() - 60_000);
    const plain = await insertPayment(ds, merchantId, {
      status: 'PARTIALLY_CAPTURED',
      authorizedAmount: 1000n,
      capturedAmount: 400n,
      authExpiryTime: past,
    });
    const refunded = await insertPayment(ds, merchantId, {
      status: 'PARTIALLY_CAPTURED',
      authorizedAmount: 1000n,
      capturedAmount: 400n,
      refundedAmount: 400n,
      authExpiryTime: past,
    });
    const open = await insertPayment(ds, merchantId, {
      status: 'PARTIALLY_CAPTURED',
      authorizedAmount: 1000n,
      capturedAmount: 400n,
      authExpiryTime: past,
    });
    await ds.query(
      `INSERT INTO capture (id, capture_id, merchant_id, payment_id, capture_request_id, request_hash, currency, amount, is_last, automatic, status)
       VALUES (gen_random_uuid(), 'gwc_open2', $1, $2, 'CAP_open2', repeat('0', 64), 'EUR', 100, false, false, 'UNKNOWN')`,
      [merchantId, open.id],
    );
    await repo.releaseExpiredRemainders();
    expect((await repo.findById(plain.id))!.status).toBe('CAPTURED');
    expect((await repo.findById(refunded.id))!.status).toBe('REFUNDED');
    expect((await repo.findById(open.id))!.status).toBe('PARTIALLY_CAPTURED');
    const [ev] = await ds.query(`SELECT amount::text AS amount, to_status FROM payment_event WHERE payment_id = $1 AND type = 'REMAINDER_RELEASED'`, [
      plain.id,
    ]);
    expect(ev).toEqual({ amount: '600', to_status: 'CAPTURED' });
  });

  it("dueForExpiryPolicy: only the merchant's CAPTURE/VOID policy, inside the lead time, nearest expiry first; an F answer is voided whatever the policy", async () => {
    const capturing = await insertMerchant(ds, { authExpiryPolicy: 'CAPTURE' });
    const soon = (s: number) => new Date(Date.now() + s * 1000);
    const later = await insertPayment(ds, capturing, { status: 'AUTHORIZED', authorizedAmount: 1000n, authExpiryTime: soon(300) });
    const sooner = await insertPayment(ds, capturing, {
      status: 'AUTHORIZED',
      authorizedAmount: 1000n,
      authExpiryTime: soon(120),
      resultStatus: 'F',
    });
    await insertPayment(ds, capturing, { status: 'AUTHORIZED', authorizedAmount: 1000n, authExpiryTime: soon(7200) }); // outside the lead
    await insertPayment(ds, merchantId, { status: 'AUTHORIZED', authorizedAmount: 1000n, authExpiryTime: soon(60) }); // policy EXPIRE
    const due = await repo.dueForExpiryPolicy(600);
    expect(due.map((d) => [d.payment_id, d.policy, d.remaining])).toEqual([
      [sooner.paymentId, 'VOID', '1000'],
      [later.paymentId, 'CAPTURE', '1000'],
    ]);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  for (let waited = 0; !(await check()); waited += 20) {
    if (waited > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
