import { randomUUID } from 'node:crypto';

import { dateOrNull, referenceNo, UpstreamCaptureAnswer } from '../antom/answers';
import {
  AutoCaptureTarget,
  awaitsAutomaticCapture,
  bookAutomaticCapture,
  recordAutomaticCaptureFailure,
} from '../payments/automatic-capture.repository';
import { Capture } from '../payments/capture.entity';
import { Payment } from '../payments/payment.entity';
import { Queryable } from '../platform/database/prepared';
import { captureResultNotice } from './merchant-notices';

export { AutoCaptureTarget, awaitsAutomaticCapture, findAutoCaptureTarget } from '../payments/automatic-capture.repository';

export type AutoCaptureNotice = UpstreamCaptureAnswer & { captureAmount?: { currency?: string; value?: string } };

/**
 * captureMode AUTOMATIC: books the acquirer's capture notification (the statement and its race are
 * described at `bookAutomaticCapture`). Returns whether this call booked it.
 */
export async function applyAutomaticCapture(db: Queryable, t: AutoCaptureTarget, n: AutoCaptureNotice): Promise<boolean> {
  if (!awaitsAutomaticCapture(t)) return false;
  if (n.result?.resultStatus !== 'S') {
    await recordAutomaticCaptureFailure(db, t, n.result?.resultCode);
    return true;
  }
  const c = captureOf(t, n);
  return bookAutomaticCapture(db, t, c, captureResultNotice(asPayment(t), c));
}

function captureOf(t: AutoCaptureTarget, n: AutoCaptureNotice): Capture {
  const value = String(n.captureAmount?.value);
  const said = /^\d{1,18}$/.test(value) ? BigInt(value) : t.authorizedAmount;
  return Object.assign(new Capture(), {
    id: randomUUID(),
    captureId: `gwc_${randomUUID().replace(/-/g, '')}`,
    merchantId: t.merchantId,
    paymentId: t.id,
    captureRequestId: `auto_${t.paymentId}`.slice(0, 64),
    requestHash: '-'.repeat(64),
    currency: t.currency,
    amount: said > t.authorizedAmount ? t.authorizedAmount : said,
    isLast: true,
    automatic: true,
    status: 'SUCCESS',
    resultStatus: 'S',
    resultCode: 'SUCCESS',
    resultMessage: 'success.',
    upstreamCaptureId: n.captureId?.slice(0, 64) ?? null,
    acquirerReferenceNo: referenceNo(n.acquirerReferenceNo),
    captureTime: dateOrNull(n.captureTime) ?? new Date(),
  });
}

/** The fields of the payment the merchant notice reads (captureResultNotice). */
function asPayment(t: AutoCaptureTarget): Payment {
  return Object.assign(new Payment(), { id: t.id, paymentId: t.paymentId, merchantId: t.merchantId, paymentNotifyUrl: t.paymentNotifyUrl });
}
