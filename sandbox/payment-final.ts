import { formatResponseTime } from '../src/antom/request-time';
import { antomResult } from '../src/antom/result-codes';
import { NotificationToSend, NotifyType } from './notifier';
import { Body, compact, newId, SandboxContext } from './sandbox-context';
import { Db, SandboxPaymentRow } from './sandbox-store';

const NOTIFIED_PAYMENT_FIELDS = [
  'result',
  'paymentRequestId',
  'paymentId',
  'paymentAmount',
  'paymentCreateTime',
  'paymentTime',
  'paymentResultInfo',
  'acquirerInfo',
  'authExpiryTime',
];

export interface AutoCapture {
  captureRequestId: string;
  captureId: string;
  response: Body;
}

/** What follows a pay's final state: automatic capture of the full amount, notifyPayment, notifyCapture. */
export interface FinalPlan {
  capture: AutoCapture | null;
  notifications: NotificationToSend[];
}

type FinalRow = Pick<
  SandboxPaymentRow,
  'client_id' | 'payment_id' | 'status' | 'capture_mode' | 'currency' | 'amount' | 'notify_url' | 'notify_fault' | 'response'
>;

export function planFinal(row: FinalRow): FinalPlan {
  const notify = (notifyType: NotifyType, body: Body) => ({
    clientId: row.client_id,
    notifyType,
    url: row.notify_url,
    body,
    fault: row.notify_fault,
  });
  const notifications = [notify('PAYMENT_RESULT', paymentNotification(row.response))];
  if (row.status !== 'S' || row.capture_mode !== 'AUTOMATIC') return { capture: null, notifications };
  const response = {
    result: antomResult('SUCCESS'),
    captureRequestId: `AUTO_${row.payment_id}`,
    captureId: newId('sbxc_'),
    paymentId: row.payment_id,
    captureAmount: { currency: row.currency, value: String(row.amount) },
    captureTime: formatResponseTime(),
    acquirerReferenceNo: newId('arn'),
  };
  notifications.push(notify('CAPTURE_RESULT', captureNotification(response)));
  return { capture: { captureRequestId: response.captureRequestId, captureId: response.captureId, response }, notifications };
}

/** The plan, executed in the caller's transaction (outbox): for pays settled later, from a browser page. */
export async function afterFinal(ctx: SandboxContext, db: Db, row: SandboxPaymentRow): Promise<void> {
  const plan = planFinal(row);
  if (!plan.capture) return ctx.notifier.enqueueWith(db, [], [], plan.notifications);
  // The automatic capture, the payment's captured amount and both notifications: one round trip.
  await ctx.notifier.enqueueWith(
    db,
    [
      `INSERT INTO sandbox.capture (client_id, capture_request_id, capture_id, payment_id, request_hash, status, currency, amount, response)
     VALUES ($1,$2,$3,$4,'AUTOMATIC','S',$5,$6::bigint,$7)`,
      `UPDATE sandbox.payment SET captured_amount = amount, capture_closed = true WHERE payment_id = $4`,
    ],
    [row.client_id, plan.capture.captureRequestId, plan.capture.captureId, row.payment_id, row.currency, row.amount, plan.capture.response],
    plan.notifications,
  );
}

export function paymentNotification(response: Body): Body {
  const out: Body = {};
  for (const k of NOTIFIED_PAYMENT_FIELDS) if (response[k] !== undefined) out[k] = response[k];
  const info = response.paymentResultInfo as Body | undefined;
  if (info) {
    out.cardInfo = compact({
      cardNo: info.cardNo,
      cardBin: info.cardBin,
      cardBrand: info.cardBrand,
      cardToken: info.cardToken,
      issuingCountry: info.issuingCountry,
      funding: info.funding,
      paymentMethodRegion: info.paymentMethodRegion,
      threeDSResult: info.threeDSResult,
    });
    // The seed's Korean example also carries the AVS and CVV codes in cardInfo (empty strings: no check ran).
    if (info.paymentMethodRegion === 'KR')
      Object.assign(out.cardInfo as Body, compact({ avsResultRaw: info.avsResultRaw, cvvResultRaw: info.cvvResultRaw }));
  }
  return out;
}

export function captureNotification(capture: Body): Body {
  const { result, captureRequestId, paymentId, captureId, captureAmount, captureTime, acquirerReferenceNo } = capture;
  return compact({ result, captureRequestId, paymentId, captureId, captureAmount, captureTime, acquirerReferenceNo });
}
