import { formatResponseTime } from '../src/antom/request-time';
import { antomResult, ResultCode, ResultCodes } from '../src/antom/result-codes';
import { settleDueRefunds } from './async-refund';
import { acquirerInfoOf, authExpiry } from './pay';
import { afterFinal } from './payment-final';
import { Body, SandboxContext } from './sandbox-context';
import { Db, SandboxPaymentRow } from './sandbox-store';

export type Resolve = (row: SandboxPaymentRow, db: Db) => Promise<{ code: ResultCode; info: Body } | null>;

/**
 * Moves a U payment to its final state once, under its row lock (a double submit, a cancelled or an
 * already settled payment changes nothing), then runs automatic capture and the notifications.
 */
export async function settlePending(
  ctx: SandboxContext,
  paymentId: string,
  accept: (p: SandboxPaymentRow | null) => p is SandboxPaymentRow,
  resolve: Resolve,
): Promise<SandboxPaymentRow | null> {
  const row = await ctx.store.tx(async (db) => {
    const p = await ctx.store.findPaymentById(db, paymentId, true);
    if (!accept(p)) return p;
    const d = await resolve(p, db);
    if (!d) return p;
    const now = ctx.clock.now();
    const ok = ResultCodes[d.code].status === 'S';
    const acquirerInfo = acquirerInfoOf({ requestId: p.payment_request_id, paymentId, decision: d });
    const response: Body = { ...p.response, result: antomResult(d.code), paymentResultInfo: d.info, acquirerInfo };
    delete response.normalUrl;
    delete response.redirectActionForm;
    if (ok) Object.assign(response, { paymentTime: formatResponseTime(now), authExpiryTime: formatResponseTime(authExpiry(ctx, now)) });
    const updated = await db.query(
      `UPDATE sandbox.payment SET status = $2, response = $3, paid_at = $4, auth_expiry_at = $5, pending_kind = NULL, pending_info = NULL, settle_at = NULL
       WHERE payment_id = $1 RETURNING *`,
      [paymentId, ok ? 'S' : 'F', response, ok ? now : null, ok ? authExpiry(ctx, now) : null],
    );
    await afterFinal(ctx, db, updated.rows[0]);
    return updated.rows[0] as SandboxPaymentRow;
  });
  ctx.notifier.kick();
  return row;
}

/** Authorizes late payments (trigger …90011) and settles asynchronous refunds when their time comes; survives restarts like the outbox. */
export class LateSettler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly owner: string,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running)
        this.running = this.settleDue()
          .catch(() => undefined)
          .finally(() => {
            this.running = null;
          });
    }, this.pollMs);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async settleDue(): Promise<void> {
    const due = await this.ctx.store.pool.query<{ payment_id: string }>(
      `SELECT payment_id FROM sandbox.payment WHERE owner = $1 AND status = 'U' AND settle_at <= $2 LIMIT 50`,
      [this.owner, this.ctx.clock.now()],
    );
    for (const { payment_id } of due.rows) {
      await settlePending(this.ctx, payment_id, isLate, async (p) => ({ code: 'SUCCESS', info: p.pending_info ?? {} }));
    }
    await settleDueRefunds(this.ctx, this.owner);
  }
}

function isLate(p: SandboxPaymentRow | null): p is SandboxPaymentRow {
  return !!p && p.status === 'U' && !p.cancelled_at && !p.pending_kind && !!p.settle_at;
}
