/*
 * JSON types of the nested objects the gateway passes on from the acquirer (paymentResultInfo, cardInfo,
 * redirectActionForm), as Antom's SDK models decode them. Antom's docs send every scalar as a string
 * ("3"), and the sandbox does too; Go's json.Unmarshal then fails on a field its model types as int32 or
 * bool, and the merchant's SDK throws on a payment that succeeded. Field types are those of
 * alipay/global-open-sdk-go v1.3.5 `com/alipay/api/model` (Java 2.2.8 and Python 1.5.5 agree where checked; see
 * docs/antom-compatibility.md); fields these models do not name are left as they are.
 */
type Kind = 'string' | 'int' | 'bool' | 'ints' | Shape;
interface Shape { [field: string]: Kind }

const THREE_DS_RESULT: Shape = {
  threeDSVersion: 'string', eci: 'string', cavv: 'string', dsTransactionId: 'string', xid: 'string',
  threeDStransactionStatusReason: 'string', challengeCancel: 'string', challenged: 'bool', exemptionType: 'string', threeDSOffered: 'bool',
};

export const ACQUIRER_INFO: Shape = {
  acquirerName: 'string', referenceRequestId: 'string', acquirerTransactionId: 'string', acquirerMerchantId: 'string',
  acquirerResultCode: 'string', acquirerResultMessage: 'string', acquirerMerchantName: 'string', acquirerReasonDescription: 'string',
  ptspTransactionId: 'string', acquirerCardToken: 'string',
};

/** Go: installmentNum/feePercentage int32; Java also has filteredInstallmentPeriods List<Integer>. */
const CREDIT_PAY_PLAN: Shape = { installmentNum: 'int', interval: 'string', creditPayFeeType: 'string', feePercentage: 'int', interestRate: 'string', filteredInstallmentPeriods: 'ints' };

export const PAYMENT_RESULT_INFO: Shape = {
  issuerName: 'string', refusalCodeRaw: 'string', refusalReasonRaw: 'string', merchantAdviceCode: 'string', acquirerInfo: ACQUIRER_INFO,
  cardNo: 'string', cardBrand: 'string', cardToken: 'string', issuingCountry: 'string', funding: 'string', paymentMethodRegion: 'string',
  threeDSResult: THREE_DS_RESULT, avsResultRaw: 'string', cvvResultRaw: 'string', networkTransactionId: 'string', creditPayPlan: CREDIT_PAY_PLAN,
  cardholderName: 'string', cardBin: 'string', lastFour: 'string', expiryMonth: 'string', expiryYear: 'string', cardCategory: 'string',
  accountNo: 'string', exemptionRequested: 'string', credentialTypeUsed: 'string', rrn: 'string', userAuthorizationStatus: 'string',
  authorizationCode: 'string', incrementalAuthorizationAvailable: 'bool', extendedAuthorizationAvailable: 'bool', refundOnAuthorizationAvailable: 'bool',
};

export const CARD_INFO: Shape = {
  cardNo: 'string', cardBrand: 'string', cardToken: 'string', issuingCountry: 'string', funding: 'string', paymentMethodRegion: 'string', threeDSResult: THREE_DS_RESULT,
};

export const CHALLENGE_ACTION_FORM: Shape = { challengeType: 'string', challengeRenderValue: 'string', triggerSource: 'string', extendInfo: 'string' };

export const REDIRECT_ACTION_FORM: Shape = { method: 'string', parameters: 'string', redirectUrl: 'string', actionFormType: 'string' };

const INT_TEXT = /^[+-]?\d{1,9}$/;

/** A copy of `value` with each field the model names in the model's JSON type; a value that cannot be is dropped. */
export function asAntomModel(value: unknown, shape: Shape): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const kind = shape[k];
    const typed = kind === undefined ? v : coerce(v, kind);
    if (typed !== undefined) out[k] = typed;
  }
  return out;
}

function coerce(v: unknown, kind: Kind): unknown {
  if (v === null || v === undefined) return undefined;
  if (kind === 'string') return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  if (kind === 'int') return toInt(v);
  if (kind === 'bool') return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined;
  if (kind === 'ints') {
    if (!Array.isArray(v)) return undefined;
    const list = v.map(toInt);
    return list.every((n) => n !== undefined) ? list : undefined;
  }
  return asAntomModel(v, kind);
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v : undefined;
  return typeof v === 'string' && INT_TEXT.test(v) ? Number(v) : undefined;
}
