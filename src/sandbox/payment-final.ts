import { formatResponseTime } from '../antom/request-time';
import { antomResult } from '../antom/result-codes';
import { Body, compact, newId, SandboxContext } from './sandbox-context';
import { Db, SandboxPaymentRow } from './sandbox-store';

const NOTIFIED_PAYMENT_FIELDS = ['result', 'paymentRequestId', 'paymentId', 'paymentAmount', 'paymentCreateTime', 'paymentTime', 'paymentResultInfo', 'authExpiryTime'];

/**
 * Once a pay reaches S or F (at once, or later from a browser page): automatic capture of the full
 * amount, then notifyPayment and notifyCapture, all in the caller's transaction (outbox).
 */
export async function afterFinal(ctx: SandboxContext, db: Db, row: SandboxPaymentRow): Promise<void> {
  await ctx.notifier.enqueue(db, { clientId: row.client_id, notifyType: 'PAYMENT_RESULT', url: row.notify_url, body: paymentNotification(row.response), fault: row.notify_fault });
  if (row.status !== 'S' || row.capture_mode !== 'AUTOMATIC') return;
  const capture = {
    result: antomResult('SUCCESS'),
    captureRequestId: `AUTO_${row.payment_id}`,
    captureId: newId('sbxc_'),
    paymentId: row.payment_id,
    captureAmount: { currency: row.currency, value: String(row.amount) },
    captureTime: formatResponseTime(),
    acquirerReferenceNo: newId('arn'),
  };
  await db.query(
    `INSERT INTO sandbox.capture (client_id, capture_request_id, capture_id, payment_id, request_hash, status, currency, amount, response)
     VALUES ($1,$2,$3,$4,'AUTOMATIC','S',$5,$6,$7)`,
    [row.client_id, capture.captureRequestId, capture.captureId, row.payment_id, row.currency, row.amount, capture],
  );
  await db.query(`UPDATE sandbox.payment SET captured_amount = amount, capture_closed = true WHERE payment_id = $1`, [row.payment_id]);
  await ctx.notifier.enqueue(db, { clientId: row.client_id, notifyType: 'CAPTURE_RESULT', url: row.notify_url, body: captureNotification(capture), fault: row.notify_fault });
}

export function paymentNotification(response: Body): Body {
  const out: Body = {};
  for (const k of NOTIFIED_PAYMENT_FIELDS) if (response[k] !== undefined) out[k] = response[k];
  const info = response.paymentResultInfo as Body | undefined;
  if (info) {
    out.cardInfo = compact({ cardNo: info.cardNo, cardBrand: info.cardBrand, cardToken: info.cardToken, issuingCountry: info.issuingCountry, funding: info.funding, paymentMethodRegion: info.paymentMethodRegion, threeDSResult: info.threeDSResult });
  }
  return out;
}

export function captureNotification(capture: Body): Body {
  const { result, captureRequestId, paymentId, captureId, captureAmount, captureTime } = capture;
  return compact({ result, captureRequestId, paymentId, captureId, captureAmount, captureTime });
}
