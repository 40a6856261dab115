import { AntomError } from '../../antom/antom-error';
import { containsCardNumber } from '../pan-runs';

/**
 * Fields that legitimately hold a card (the vault takes them), ids and tokens the gateway or the
 * acquirer issued (random hex may hold a digit run), amounts, phone numbers and device ids: everything else a
 * merchant sends is free text that the gateway stores, echoes and shows, where a card number must
 * never land.
 */
const NOT_FREE_TEXT = new Set([
  'cardNo',
  'cvv',
  'expiryMonth',
  'expiryYear',
  'cardPasswordDigest',
  'paymentId',
  'refundId',
  'captureId',
  'paymentMethodId',
  'cardToken',
  'disputeId',
  // A Base64 document: its decoded text is checked instead (antom/defense-document.ts).
  'disputeEvidence',
  'value',
  'buyerPhoneNo',
  // Device ids may be IMEIs, which are Luhn-checked 15-digit numbers by design.
  'deviceId',
  'deviceTokenId',
]);

/**
 * Refuses, with F PARAM_ILLEGAL naming the field (never quoting it), any request whose free-text
 * fields hold a card number (pan-runs.ts: a number a network issues, Luhn-valid, however it is written):
 * paymentRequestId, referenceOrderId, orderDescription, goods names, buyer names, captureRequestId,
 * refundReason, … at any depth. Ordinary identifiers ("300120241132", "PAY-61202412071548-0001") are no
 * network's numbers and pass. The body was already bounded by the JSON shape checks (depth 32, 10,000 values).
 */
export function refuseCardNumbersInFreeText(body: unknown): void {
  const work: Array<{ v: unknown; path: string }> = [{ v: body, path: '' }];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const { v, path } = item;
    if (typeof v === 'string') {
      if (containsCardNumber(v)) throw new AntomError('PARAM_ILLEGAL', `Illegal parameter ${path}: must not contain a card number.`);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => work.push({ v: x, path: path ? `${path}.${i}` : String(i) }));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (NOT_FREE_TEXT.has(k) || /phone/i.test(k)) continue;
        // A key is free text too; it is named by its parent, never quoted.
        if (containsCardNumber(k))
          throw new AntomError('PARAM_ILLEGAL', `Illegal parameter ${path || 'body'}: a field name must not contain a card number.`);
        work.push({ v: x, path: path ? `${path}.${k}` : k });
      }
    }
  }
}
