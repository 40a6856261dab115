import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ReconciliationWorker } from '../acquirer-answers/reconciliation.worker';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantAdmin } from '../merchants/merchant-admin';
import { AuthorizationExpiryWorker } from '../operations/expiry.worker';
import { PaymentsRepository } from '../payments/payments.repository';
import { advanceTestClock, resetTestClock } from '../platform/clock';

/** Where a payment stands after `settleNow` (the gateway's view; the merchant's notification follows). */
export interface PaymentStanding {
  paymentId: string | null;
  paymentRequestId: string;
  /** The gateway's lifecycle status: AUTHORIZED, CAPTURED, FAILED, CANCELLED, UNKNOWN, PENDING_ACTION, EXPIRED … */
  status: string;
  /** What the merchant's pay answer / notification says now: S, F, or U (still unknown). */
  resultStatus: string | null;
  resultCode: string | null;
}

export type AuthExpiryPolicy = 'EXPIRE' | 'CAPTURE' | 'VOID';

/** The product's test-only controls, reached in-process by the kit's server (never over the gateway's HTTP). */
export interface ProductControls {
  /** Moves the gateway's and the sandbox's clocks forward together, then runs the authorization-expiry worker once. */
  advanceClock(ms: number): Promise<{ offsetMs: number; now: string }>;
  /** Reconciles now the merchant's open payments (or the one named by paymentId / paymentRequestId) and says where each stands. */
  settle(clientId: string, ref?: string): Promise<PaymentStanding[]>;
  /** The acquirer's id of the merchant's payment named by its paymentId or paymentRequestId (the sandbox's controls name those). */
  upstreamIdOf(clientId: string, ref: string): Promise<string | null>;
  setAuthExpiryPolicy(clientId: string, policy: AuthExpiryPolicy): Promise<void>;
  /** Back to real time (stop()). */
  reset(): void;
}

/** At most this many payments per settleNow (the reconciliation worker takes 20 per tick). */
const SETTLE_LIMIT = 1000;

/**
 * Test-only, and refused unless the gateway was configured for it (TEST_KIT_CONTROLS=true, which the
 * configuration refuses with a real acquirer): the clock (src/platform/clock.ts) and the sandbox's clock move
 * together; settling runs the gateway's own reconciliation worker (its claims, its inquiries) ahead of time.
 */
export function productControls(app: INestApplicationContext, sandboxUrl: string): ProductControls {
  const config = app.get(GatewayConfig);
  const payments = app.get(PaymentsRepository);
  const allowed = () => {
    if (!config.TEST_KIT_CONTROLS) throw new Error('the test kit controls need TEST_KIT_CONTROLS=true (startTestGateway sets it)');
  };
  return {
    advanceClock: async (ms) => {
      allowed();
      const offsetMs = advanceTestClock(ms);
      const res = await fetch(`${sandboxUrl}/sandbox/control/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceMs: ms }),
      });
      const answer = (await res.json().catch(() => null)) as { ok?: boolean } | null;
      if (res.status !== 200 || answer?.ok !== true) throw new Error(`sandbox clock: ${JSON.stringify(answer)}`);
      await app.get(AuthorizationExpiryWorker).worker.runOnce();
      return { offsetMs, now: new Date(Date.now() + offsetMs).toISOString() };
    },
    settle: async (clientId, ref) => {
      allowed();
      const ids = await payments.openForReconcile(clientId, SETTLE_LIMIT, ref);
      if (ids.length === 0) return [];
      await payments.reconcileAllNow(ids);
      // The worker's own tick (claims with SKIP LOCKED, never two looks at once at one payment), 20 a tick;
      // a look that schedules another one due at once (a cancel to resend) gets its pass too.
      const worker = app.get(ReconciliationWorker).worker;
      for (let pass = 0; pass < Math.ceil(ids.length / 20) + 3; pass++) {
        await worker.runOnce();
        if ((await payments.countDue(ids)) === 0) break;
      }
      return payments.standing(ids);
    },
    upstreamIdOf: (clientId, ref) => payments.upstreamIdOf(clientId, ref),
    setAuthExpiryPolicy: async (clientId, policy) => {
      allowed(); // a merchant setting written: the test kit's configuration only, as the clock and settling
      await new MerchantAdmin(app.get(DataSource), 'test-kit').set(clientId, { authExpiryPolicy: policy });
    },
    reset: () => resetTestClock(),
  };
}
