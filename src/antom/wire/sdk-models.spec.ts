import { TSchema } from '@sinclair/typebox';

import { GO_MODELS, GO_ROOTS, GoType } from '../../../test/support/go-sdk-models';
import { MERCHANT_ANSWERS, MERCHANT_NOTIFICATIONS } from '.';

/*
 * The wire types against Antom's SDK models: every field of every answer and notification the Go SDK has a model
 * for (test/support/go-sdk-models.ts, generated from alipay/global-open-sdk-go v1.3.5) is a field of that model,
 * in the JSON type the model decodes (a string where Go has string, an integer where int32, …), nested models
 * too. The gateway's few additions are listed with their reason. getCardInfo, inquireInstallment and updateAmount
 * have no Go model (Java's AlipayGetCardInfoResponse & co.); the card vault's APIs are the gateway's own.
 */
const SCHEMA_OF: Record<keyof typeof GO_ROOTS, TSchema> = {
  pay: MERCHANT_ANSWERS['payments/pay'],
  inquiryPayment: MERCHANT_ANSWERS['payments/inquiryPayment'],
  capture: MERCHANT_ANSWERS['payments/capture'],
  cancel: MERCHANT_ANSWERS['payments/cancel'],
  refund: MERCHANT_ANSWERS['payments/refund'],
  inquiryRefund: MERCHANT_ANSWERS['payments/inquiryRefund'],
  notifyPayment: MERCHANT_NOTIFICATIONS.notifyPayment,
  notifyCapture: MERCHANT_NOTIFICATIONS.notifyCapture,
  notifyRefund: MERCHANT_NOTIFICATIONS.notifyRefund,
  createVaultingSession: MERCHANT_ANSWERS['vaults/createVaultingSession'],
  vaultPaymentMethod: MERCHANT_ANSWERS['vaults/vaultPaymentMethod'],
  inquireVaulting: MERCHANT_ANSWERS['vaults/inquireVaulting'],
  notifyVaulting: MERCHANT_NOTIFICATIONS.notifyVaulting,
  acceptDispute: MERCHANT_ANSWERS['payments/acceptDispute'],
  supplyDefenseDocument: MERCHANT_ANSWERS['payments/supplyDefenseDocument'],
  downloadDisputeEvidence: MERCHANT_ANSWERS['payments/downloadDisputeEvidence'],
  notifyDispute: MERCHANT_NOTIFICATIONS.notifyDispute,
  consult: MERCHANT_ANSWERS['payments/consult'],
};

/** Fields the gateway sends that the Go model does not have (Go ignores them), each with its reason. */
const ADDITIONS: Record<string, string> = {
  'notify.AlipayPayResultNotify.cardInfo': "the masked card and its token, as the seed's notification carries them",
  'notify.AlipayVaultingNotify.vaultingStatus': "in Antom's documentation of notifyVaulting",
  'responseDispute.AlipayDownloadDisputeEvidenceResponse.disputeId': 'names the dispute on a failure',
  'notifyDispute.disputeAmount.value': 'passed on as the acquirer sent it (a string, or the integer the parser accepts)',
  'notifyDispute.disputeJudgedAmount.value': 'passed on as the acquirer sent it',
  'model.CreditPayPlan.filteredInstallmentPeriods': "in Java 2.2.8's CreditPayPlan (List<Integer>), not in Go's",
  'responsePay.AlipayInquiryRefundResponse.refundResultCode': "the refund's own result code beside refundStatus",
  // notifyPayment, notifyRefund: built from the pay and refund answers (merchant-notices.ts), whose models have these.
  'notify.AlipayPayResultNotify.actualPaymentAmount': 'from the pay answer (AlipayPayResponse has it)',
  'notify.AlipayPayResultNotify.challengeActionForm': 'from the pay answer (AlipayPayResponse has it)',
  'notify.AlipayRefundNotify.paymentId': 'from the refund answer (AlipayRefundResponse has it)',
};

function jsonKind(s: TSchema): string {
  if (s.anyOf) return (s.anyOf as TSchema[]).map(jsonKind).join('|');
  if (s.type) return String(s.type);
  if ('const' in s) return typeof s.const === 'boolean' ? 'boolean' : typeof s.const === 'number' ? 'integer' : 'string';
  return 'any';
}

const GO_JSON: Record<string, string[]> = {
  string: ['string'],
  bool: ['boolean'],
  int32: ['integer'],
  int64: ['integer'],
  number: ['number', 'integer'],
  object: ['object'],
};

function mismatches(schema: TSchema, model: string, path: string, out: string[]): void {
  const fields = GO_MODELS[model];
  if (!fields) {
    out.push(`${path}: no Go model ${model}`);
    return;
  }
  for (const [name, field] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>)) {
    const where = `${model}.${name}`;
    if (ADDITIONS[where] || ADDITIONS[`${path}.${name}`]) continue;
    const go = fields[name];
    if (go === undefined) out.push(`${path}.${name}: not a field of ${model}`);
    else compare(field, go, where, `${path}.${name}`, out);
  }
}

function compare(field: TSchema, go: GoType, where: string, path: string, out: string[]): void {
  if (ADDITIONS[where] || ADDITIONS[path] || go === 'any') return;
  const kind = jsonKind(field);
  if (typeof go === 'string') {
    if (!GO_JSON[go].includes(kind)) out.push(`${path}: ${kind}, the model decodes ${go}`);
  } else if ('model' in go) {
    if (kind !== 'object') out.push(`${path}: ${kind}, the model decodes ${go.model}`);
    else mismatches(field, go.model, path, out);
  } else if (kind !== 'array') out.push(`${path}: ${kind}, the model decodes a list`);
  else compare(field.items as TSchema, go.array, `${where}[]`, `${path}[]`, out);
}

describe("the wire types follow Antom's SDK models (field names, JSON types)", () => {
  it.each(Object.keys(GO_ROOTS) as Array<keyof typeof GO_ROOTS>)('%s', (api) => {
    const out: string[] = [];
    mismatches(SCHEMA_OF[api], GO_ROOTS[api], api, out);
    expect(out).toEqual([]);
  });
});
