/** What the acquirer answers, as the gateway reads it (every field optional: an answer may say little). */
export interface UpstreamPayAnswer {
  result?: { resultCode?: string; resultStatus?: string; resultMessage?: string };
  paymentId?: string;
  paymentTime?: string;
  authExpiryTime?: string;
  normalUrl?: string;
  redirectActionForm?: Record<string, unknown>;
  paymentResultInfo?: Record<string, unknown>;
  /** Hosted-form mode: what the acquirer learnt of the card its page collected (masked), and its token. */
  cardInfo?: Record<string, unknown>;
  /** The acquirer's ids and raw result (Antom's AcquirerInfo). */
  acquirerInfo?: Record<string, unknown>;
  /** A challenge the buyer must answer (Antom's ChallengeActionForm: OTP and the like). */
  challengeActionForm?: Record<string, unknown>;
}

export interface AnswerResult {
  resultCode?: string;
  resultStatus?: string;
  resultMessage?: string;
}

export interface UpstreamCaptureAnswer {
  result?: AnswerResult;
  captureId?: string;
  captureRequestId?: string;
  captureAmount?: { currency?: string; value?: string };
  captureTime?: string;
  acquirerReferenceNo?: string;
}

export interface UpstreamUpdateAmountAnswer {
  result?: AnswerResult;
  updateRequestId?: string;
  paymentId?: string;
  amount?: { currency?: string; value?: string };
}

export interface UpstreamRefundAnswer {
  result?: AnswerResult;
  refundId?: string;
  refundRequestId?: string;
  refundStatus?: string;
  refundTime?: string;
}

export interface UpstreamCancelAnswer {
  result?: AnswerResult;
  cancelTime?: string;
}

export interface UpstreamInquiryAnswer extends UpstreamPayAnswer {
  paymentStatus?: string;
  paymentResultCode?: string;
  paymentResultMessage?: string;
  transactions?: {
    transactionType?: string;
    transactionStatus?: string;
    transactionRequestId?: string;
    transactionId?: string;
    transactionAmount?: { currency?: string; value?: string };
    transactionTime?: string;
  }[];
}

/** Antom's `acquirerReferenceNo`: a short printable reference, else nothing. */
export function referenceNo(v: unknown): string | null {
  return typeof v === 'string' && /^[\x21-\x7e]{1,64}$/.test(v) ? v : null;
}

/** inquiryPayment's `result` only says the query worked; the payment's own result is paymentStatus + paymentResultCode. */
export function inquiryAsPayAnswer(a: UpstreamInquiryAnswer): UpstreamPayAnswer | null {
  const status = a.paymentStatus;
  const code = a.paymentResultCode;
  const message = a.paymentResultMessage ?? '';
  if (status === 'SUCCESS')
    return {
      ...a,
      result: { resultStatus: 'S', resultCode: code && code !== 'SUCCESS' ? 'SUCCESS' : 'SUCCESS', resultMessage: message || 'success.' },
    };
  if (status === 'FAIL') return { ...a, result: { resultStatus: 'F', resultCode: code ?? 'PROCESS_FAIL', resultMessage: message } };
  return null; // PROCESSING / PENDING: nothing to settle yet
}

export function dateOrNull(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** acceptDispute and supplyDefenseDocument (AlipayAcceptDisputeResponse, AlipaySupplyDefenseDocumentResponse). */
export interface UpstreamDisputeAnswer {
  result?: AnswerResult;
  disputeId?: string;
  disputeResolutionTime?: string;
}

/** downloadDisputeEvidence (AlipayDownloadDisputeEvidenceResponse): Base64 of a PDF or Word file. */
export interface UpstreamEvidenceAnswer {
  result?: AnswerResult;
  disputeEvidence?: string;
  disputeEvidenceFormat?: string;
}
