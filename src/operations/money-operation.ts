import { EntityManager } from 'typeorm';

import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { PaymentRef } from '../payments/payments.repository';
import { CrashPoint } from '../platform/crash-hook';
import { UpstreamOutcome } from '../upstream/antom-client';

/**
 * What the guard decided, under the payment's row lock:
 * - `reserved`: the operation's row is written (money reserved, timeline row, reconciliation due): go upstream;
 * - `replay`: this request id was seen before with the same key fields: its twin's row, answered by `replay`
 *   once the lock is released (never upstream from here: the twin, or a re-drive, sends it);
 * - `answered`: nothing to send (a cancel of a cancelled payment); the answer as it is.
 * A refusal is thrown (AntomError, F with its resultCode, or U with UNKNOWN_EXCEPTION when it passes by itself).
 */
export type Guarded<Reserved, Answer> =
  { kind: 'reserved'; reserved: Reserved } | { kind: 'replay'; reserved: Reserved } | { kind: 'answered'; answer: Answer };

/**
 * One money movement (capture, cancel, refund, updateAmount; pay has PayPipeline, the same phases with its
 * card sources) as Hyperswitch shapes one: validate → lock → guard → call upstream → apply. Each phase is a
 * method; OperationRunner runs them in that order and owns the transaction, the lock and the twin wait, so
 * no operation takes a lock or opens a transaction of its own (the apply phase's transaction is the
 * acquirer-answers', which locks the operation row, then the payment row: the same order everywhere).
 *
 * `In`: the merchant's validated request; `Reserved`: what the guard wrote and the later phases need (the
 * payment and the operation row); `Upstream`: the acquirer's answer body; `Answer`: the merchant's answer.
 */
export interface MoneyOperation<In, Reserved, Upstream, Answer> {
  /** Checks on the request alone (PARAM_ILLEGAL), before anything is read. */
  validate?(req: In): void;
  /** What must be settled before the lock (an open amount update, an automatic capture not booked yet). */
  beforeLock?(merchant: MerchantIdentity, req: In): Promise<void>;
  /** Which of the merchant's payments to lock. */
  target(req: In): PaymentRef;
  /** Under the lock, in the reserving transaction: replay, refusal (thrown), or the reservation. */
  guard(tx: EntityManager, p: Payment, merchant: MerchantIdentity, req: In): Promise<Guarded<Reserved, Answer>>;
  /** The upstream call; its request id is the operation row's id, so a resend is idempotent at the acquirer. */
  callUpstream(reserved: Reserved, req: In): Promise<UpstreamOutcome<Upstream>>;
  /** Where a crash test may kill the process right after the upstream call (GATEWAY_CRASH_AT). */
  readonly crashPoint?: CrashPoint;
  /**
   * The acquirer's answer applied by acquirer-answers (the one place answers are applied) and turned into the
   * merchant's answer: S and F are final; U leaves the row open with reconciliation due (retry advice).
   */
  apply(reserved: Reserved, outcome: UpstreamOutcome<Upstream>, req: In): Promise<Answer>;
  /** A twin's row is still waiting for the acquirer's first answer (the runner waits for it briefly). */
  awaitingTwin?(reserved: Reserved): boolean;
  /** The twin's row read again. */
  reload?(reserved: Reserved): Promise<Reserved>;
  /** The same request id again, after the twin wait: the stored answer, a row left U re-driven first. */
  replay?(reserved: Reserved, merchant: MerchantIdentity, req: In): Promise<Answer>;
}
