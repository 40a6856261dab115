import { Injectable } from '@nestjs/common';

import { AutoCaptureTarget } from '../payments/automatic-capture.repository';
import { Payment } from '../payments/payment.entity';

/** Entries kept at most: a few seconds of pays at this machine's rate; the oldest goes first. */
const MAX_ENTRIES = 4096;
/** Older than this, an entry is not used (its notification came late, or by another instance). */
const MAX_AGE_MS = 60_000;

/**
 * The automatic-capture payments this process just settled SUCCEEDED, by the acquirer's paymentId (all its
 * CAPTURE_RESULT notification names): the notification, typically milliseconds later, books the capture
 * without reading the payment first (issue 27: one statement less per pay). Only a hint — the booking
 * statement's own guard (status SUCCEEDED, AUTOMATIC, nothing captured, the same authorized amount) decides
 * on the row as it is now; a miss, a stale entry or a refused guard takes the reading path as before. The
 * fields kept do not change once a payment is SUCCEEDED (ids, merchant, currency, notify URL). Process-local:
 * another instance, or a restart, simply reads.
 */
@Injectable()
export class AwaitingCaptures {
  private readonly byUpstreamId = new Map<string, { t: AutoCaptureTarget; at: number }>();

  /** After the answer's write: remembered only when it leaves the payment awaiting its automatic capture. */
  settled(p: Payment): void {
    if (p.captureMode !== 'AUTOMATIC' || p.status !== 'SUCCEEDED' || p.capturedAmount !== 0n || !p.upstreamPaymentId) return;
    if (this.byUpstreamId.size >= MAX_ENTRIES) this.byUpstreamId.delete(this.byUpstreamId.keys().next().value as string);
    this.byUpstreamId.set(p.upstreamPaymentId, {
      t: {
        id: p.id,
        paymentId: p.paymentId,
        merchantId: p.merchantId,
        status: p.status,
        captureMode: p.captureMode,
        currency: p.currency,
        authorizedAmount: p.authorizedAmount,
        capturedAmount: 0n,
        paymentNotifyUrl: p.paymentNotifyUrl ?? null,
      },
      at: Date.now(),
    });
  }

  /** The target remembered for this acquirer paymentId (once: taken out), or null. */
  take(upstreamPaymentId: string): AutoCaptureTarget | null {
    const e = this.byUpstreamId.get(upstreamPaymentId);
    if (!e) return null;
    this.byUpstreamId.delete(upstreamPaymentId);
    return Date.now() - e.at <= MAX_AGE_MS ? e.t : null;
  }
}
