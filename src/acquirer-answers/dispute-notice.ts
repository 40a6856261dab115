import * as currencyCodes from 'currency-codes';

import { DisputeRelayed } from '../antom/wire';
import { DisputeFacts, DisputeStatus, FINAL_DISPUTE_STATUSES } from '../payments/disputes.repository';

/** DisputeNotificationType in Antom's SDKs. */
export const DISPUTE_NOTIFICATION_TYPES = [
  'DISPUTE_CREATED',
  'DISPUTE_JUDGED',
  'DISPUTE_CANCELLED',
  'DEFENSE_SUPPLIED',
  'DEFENSE_DUE_ALERT',
  'DISPUTE_ACCEPTED',
  'RDR_RESOLVED',
] as const;
type NotificationType = (typeof DISPUTE_NOTIFICATION_TYPES)[number];
/** DisputeJudgedResult: who bears the dispute. ACCEPT_BY_CUSTOMER: the buyer (the merchant won). */
const JUDGED = ['ACCEPT_BY_CUSTOMER', 'ACCEPT_BY_MERCHANT', 'VALIDATE_SUCCESS', 'VALIDATE_FAIL'];
const ACCEPT_REASONS = ['MERCHANT_ACCEPTED', 'TIMEOUT', 'MANUAL_PROCESSING_ACCEPTED'];

/** Fields of AlipayDisputeNotify relayed to the merchant as they came (ids are replaced by the gateway's). */
const RELAYED = [
  'disputeTime',
  'disputeAmount',
  'disputeNotificationType',
  'disputeReasonMsg',
  'disputeJudgedTime',
  'disputeJudgedAmount',
  'disputeJudgedResult',
  'defenseDueTime',
  'disputeReasonCode',
  'disputeSource',
  'arn',
  'disputeAcceptReason',
  'disputeAcceptTime',
  'disputeType',
  'defendable',
  'autoDefendReason',
] as const;

type Body = Record<string, unknown>;

export interface ParsedDisputeNotice {
  upstreamDisputeId: string;
  paymentRequestId: string | null;
  upstreamPaymentId: string | null;
  upstreamCaptureId: string | null;
  type: NotificationType;
  /** Facts before the status is decided against the stored one (`nextStatus`). */
  facts: Omit<DisputeFacts, 'status'>;
  /** What the merchant is told besides its own ids. */
  relayed: DisputeRelayed;
}

/** Antom's notifyDispute: recognised by its dispute id and notification type (it carries no notifyType). */
export function isDisputeNotice(b: Body): boolean {
  return b.disputeId !== undefined && b.disputeNotificationType !== undefined;
}

/** A notifyDispute checked field by field: the parsed notice, or the field that is wrong. */
export function parseDisputeNotice(b: Body): ParsedDisputeNotice | { error: string } {
  const bad = (field: string, why: string) => ({ error: `Illegal parameter ${field}: ${why}.` });
  if (!isText(b.disputeId, 64)) return bad('disputeId', 'must be a string of 1 to 64 characters');
  if (!DISPUTE_NOTIFICATION_TYPES.includes(b.disputeNotificationType as NotificationType))
    return bad('disputeNotificationType', `must be one of ${DISPUTE_NOTIFICATION_TYPES.join(', ')}`);
  for (const f of ['paymentRequestId', 'paymentId', 'captureId', 'disputeReasonCode', 'disputeSource', 'arn', 'disputeType'] as const) {
    if (b[f] !== undefined && b[f] !== null && !isText(b[f], 64)) return bad(f, 'must be a string of 1 to 64 characters');
  }
  for (const f of ['disputeReasonMsg', 'autoDefendReason'] as const)
    if (b[f] != null && !isText(b[f], 256)) return bad(f, 'must be a string of at most 256 characters');
  if (b.paymentRequestId == null && b.paymentId == null) return bad('paymentId', 'is required');
  const times: Record<string, Date | null> = {};
  for (const f of ['disputeTime', 'defenseDueTime', 'disputeJudgedTime', 'disputeAcceptTime'] as const) {
    const t = b[f] == null ? null : isoTime(b[f]);
    if (t === undefined) return bad(f, 'must be an ISO 8601 date-time');
    times[f] = t;
  }
  const amount = b.disputeAmount == null ? null : minorUnits(b.disputeAmount);
  if (amount === undefined) return bad('disputeAmount', 'must be {currency: ISO 4217, value: integer string in minor units}');
  const judged = b.disputeJudgedAmount == null ? null : minorUnits(b.disputeJudgedAmount);
  if (judged === undefined) return bad('disputeJudgedAmount', 'must be {currency: ISO 4217, value: integer string in minor units}');
  if (b.disputeJudgedResult != null && !JUDGED.includes(b.disputeJudgedResult as string))
    return bad('disputeJudgedResult', `must be one of ${JUDGED.join(', ')}`);
  if (b.disputeAcceptReason != null && !ACCEPT_REASONS.includes(b.disputeAcceptReason as string))
    return bad('disputeAcceptReason', `must be one of ${ACCEPT_REASONS.join(', ')}`);
  const defendable =
    b.defendable == null
      ? null
      : b.defendable === true || b.defendable === 'true'
        ? true
        : b.defendable === false || b.defendable === 'false'
          ? false
          : undefined;
  if (defendable === undefined) return bad('defendable', 'must be a boolean');
  const type = b.disputeNotificationType as NotificationType;
  const relayed: Body = {};
  for (const f of RELAYED) if (b[f] !== undefined && b[f] !== null) relayed[f] = b[f];
  if (defendable !== null) relayed.defendable = defendable;
  return {
    upstreamDisputeId: b.disputeId as string,
    paymentRequestId: (b.paymentRequestId as string | undefined) ?? null,
    upstreamPaymentId: (b.paymentId as string | undefined) ?? null,
    upstreamCaptureId: (b.captureId as string | undefined) ?? null,
    type,
    facts: {
      lastNotification: type,
      disputeType: (b.disputeType as string | undefined) ?? null,
      reasonCode: (b.disputeReasonCode as string | undefined) ?? null,
      reasonMsg: (b.disputeReasonMsg as string | undefined) ?? null,
      currency: amount?.currency ?? null,
      amount: amount?.value ?? null,
      judgedCurrency: judged?.currency ?? null,
      judgedAmount: judged?.value ?? null,
      judgedResult: (b.disputeJudgedResult as string | undefined) ?? null,
      defendable,
      defenseDueAt: times.defenseDueTime,
      disputeTime: times.disputeTime,
      resolvedAt:
        type === 'DISPUTE_JUDGED'
          ? (times.disputeJudgedTime ?? new Date())
          : type === 'DISPUTE_CANCELLED' || type === 'RDR_RESOLVED'
            ? new Date()
            : null,
    },
    relayed: relayed as DisputeRelayed, // each field checked above, as notifyDispute's schema types it
  };
}

/**
 * The status after a notification. A final status never moves (a late DEFENSE_DUE_ALERT cannot reopen a
 * judged dispute); an alert changes nothing; the judgement decides WON or LOST by who bears the dispute.
 */
export function nextStatus(current: DisputeStatus, created: boolean, type: NotificationType, judgedResult: string | null): DisputeStatus {
  if (FINAL_DISPUTE_STATUSES.includes(current) && !created) return current;
  switch (type) {
    case 'DISPUTE_CREATED':
    case 'DEFENSE_DUE_ALERT':
      return current;
    case 'DEFENSE_SUPPLIED':
      return current === 'OPEN' ? 'DEFENDED' : current;
    case 'DISPUTE_ACCEPTED':
      return 'ACCEPTED';
    case 'DISPUTE_JUDGED':
      return judgedResult === 'ACCEPT_BY_CUSTOMER' || judgedResult === 'VALIDATE_SUCCESS' ? 'WON' : 'LOST';
    case 'DISPUTE_CANCELLED':
      return 'CANCELLED';
    case 'RDR_RESOLVED':
      return 'RESOLVED';
  }
}

/** The timeline row's type for a notification (DISPUTE_… throughout, so the timeline groups them). */
export function disputeEventType(type: NotificationType): string {
  return type.startsWith('DISPUTE_') ? type : `DISPUTE_${type}`;
}

function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function isoTime(v: unknown): Date | null | undefined {
  if (typeof v !== 'string' || v.length > 64 || !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)$/.test(v)) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function minorUnits(v: unknown): { currency: string; value: bigint } | undefined {
  const a = v as { currency?: unknown; value?: unknown };
  if (!a || typeof a !== 'object' || typeof a.currency !== 'string' || !/^[A-Z]{3}$/.test(a.currency) || !currencyCodes.code(a.currency))
    return undefined;
  const value = typeof a.value === 'number' && Number.isSafeInteger(a.value) ? String(a.value) : a.value;
  if (typeof value !== 'string' || !/^(0|[1-9]\d{0,17})$/.test(value)) return undefined;
  return { currency: a.currency, value: BigInt(value) };
}
