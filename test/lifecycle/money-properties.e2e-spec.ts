import { randomUUID } from 'node:crypto';

import fc from 'fast-check';

import { AuthorizationExpiryWorker } from '../../src/operations/expiry.worker';
import { s2sPay } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';

/*
 * Money by amounts, as a property over random sequences of capture / refund / cancel / expiry on a MANUAL
 * authorization, through the merchant API, on the real database and the real sandbox:
 *   captured ≤ authorized, refunded ≤ captured, an S capture or refund moves exactly its amount, an F one
 *   moves nothing; the rest of the authorization can always be captured or is released; and the gateway's
 *   books equal the acquirer's (the sandbox's) at the end.
 */
/** Amounts as a percentage of the authorization (so captures and refunds mostly fit, and sometimes do not). */
type Op = { kind: 'capture'; percent: number; last: boolean } | { kind: 'refund'; percent: number } | { kind: 'cancel' } | { kind: 'expire' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('capture' as const), percent: fc.integer({ min: 1, max: 70 }), last: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('refund' as const), percent: fc.integer({ min: 1, max: 70 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancel' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
);
const amountOf = (o: { percent: number }, authorized: bigint) => (authorized * BigInt(o.percent)) / 100n || 1n;

interface Books {
  status: string;
  authorized: bigint;
  captured: bigint;
  refunded: bigint;
}

describe('money by amounts: random operation sequences keep the books whole', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ WORKERS_ENABLED: 'false' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const eur = (v: bigint | number) => ({ currency: 'EUR', value: String(v) });

  async function books(paymentId: string): Promise<Books & { id: string }> {
    const [r] = await stack.db.query(
      'SELECT id, status, authorized_amount::text a, captured_amount::text c, refunded_amount::text r FROM payment WHERE payment_id = $1',
      [paymentId],
    );
    return { id: r.id, status: r.status, authorized: BigInt(r.a), captured: BigInt(r.c), refunded: BigInt(r.r) };
  }

  function holds(b: Books): void {
    expect(b.captured).toBeLessThanOrEqual(b.authorized);
    expect(b.refunded).toBeLessThanOrEqual(b.captured);
    expect(b.captured).toBeGreaterThanOrEqual(0n);
  }

  /** The test's own model: is the hold still open (no last capture, no cancel, not expired)? Decided by amounts and answers, not by status. */
  async function apply(paymentId: string, o: Op, model: { open: boolean }): Promise<void> {
    const before = await books(paymentId);
    if (o.kind === 'expire') {
      await stack.db.query(`UPDATE payment SET auth_expiry_time = now() - interval '1 second' WHERE id = $1`, [before.id]);
      // As the worker does: a row locked at that instant (the acquirer's capture notification being applied)
      // is skipped (SKIP LOCKED) and taken on a later tick.
      let after = await books(paymentId);
      for (let i = 0; i < 50 && ['AUTHORIZED', 'PARTIALLY_CAPTURED'].includes(after.status); i++) {
        await stack.app.get(AuthorizationExpiryWorker).tick();
        after = await books(paymentId);
        if (['AUTHORIZED', 'PARTIALLY_CAPTURED'].includes(after.status)) await new Promise((r) => setTimeout(r, 100));
      }
      expect([after.captured, after.refunded]).toEqual([before.captured, before.refunded]);
      // The hold is gone: nothing is left capturable.
      expect(['AUTHORIZED', 'PARTIALLY_CAPTURED']).not.toContain(after.status);
      model.open = false;
      return;
    }
    const res =
      o.kind === 'capture'
        ? await stack.merchant.post('payments/capture', {
            captureRequestId: randomUUID(),
            paymentId,
            captureAmount: eur(amountOf(o, before.authorized)),
            isLastCapture: o.last,
          })
        : o.kind === 'refund'
          ? await stack.merchant.post('payments/refund', {
              refundRequestId: randomUUID(),
              paymentId,
              refundAmount: eur(amountOf(o, before.authorized)),
            })
          : await stack.merchant.post('payments/cancel', { paymentId });
    const status = res.body.result.resultStatus;
    expect(['S', 'F']).toContain(status); // the sandbox answers every one of these; nothing is left unknown
    const after = await books(paymentId);
    holds(after);
    const moved = { captured: after.captured - before.captured, refunded: after.refunded - before.refunded };
    if (o.kind === 'capture') expect(moved).toEqual({ captured: status === 'S' ? amountOf(o, before.authorized) : 0n, refunded: 0n });
    if (o.kind === 'refund') expect(moved).toEqual({ captured: 0n, refunded: status === 'S' ? amountOf(o, before.authorized) : 0n });
    if (o.kind === 'cancel') expect(moved).toEqual({ captured: 0n, refunded: 0n });
    // What the gateway may do follows from the amounts: a capture within what is left of a live hold goes through.
    if (o.kind === 'capture' && model.open && amountOf(o, before.authorized) <= before.authorized - before.captured) {
      expect([o, status]).toEqual([o, 'S']);
    }
    if (status === 'S' && ((o.kind === 'capture' && (o.last || after.captured === after.authorized)) || o.kind === 'cancel')) model.open = false;
  }

  it('over random sequences (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1000, max: 50000 }), fc.array(op, { minLength: 1, maxLength: 8 }), async (value, ops) => {
        const pay = await stack.merchant.post('payments/pay', s2sPay({ captureMode: 'MANUAL', value: String(value) }));
        expect(pay.body.result.resultStatus).toBe('S');
        const paymentId: string = pay.body.paymentId;
        const model = { open: true };
        for (const o of ops) await apply(paymentId, o, model);
        // The rest of the authorization can always be captured (or it was released already).
        const b = await books(paymentId);
        if (model.open && b.captured < b.authorized) {
          const rest = await stack.merchant.post('payments/capture', {
            captureRequestId: randomUUID(),
            paymentId,
            captureAmount: eur(b.authorized - b.captured),
            isLastCapture: true,
          });
          expect(rest.body.result.resultStatus).toBe('S');
          expect(['CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED']).toContain((await books(paymentId)).status);
        }
        const end = await books(paymentId);
        holds(end);
        const [acquirer] = await stack.db.query(
          'SELECT captured_amount::text c, refunded_amount::text r FROM sandbox.payment WHERE payment_request_id = $1',
          [end.id],
        );
        expect({ captured: BigInt(acquirer.c), refunded: BigInt(acquirer.r) }).toEqual({ captured: end.captured, refunded: end.refunded });
      }),
      { numRuns: 25 },
    );
  });
});
