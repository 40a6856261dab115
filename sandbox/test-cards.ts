/** The contract's §7 test cards: what the sandbox answers for each. */
export interface CardOutcome {
  status: 'S' | 'F' | 'CHALLENGE';
  code?: string;
  avs?: string;
  cvv?: string;
  /** Declined with AUTHENTICATION_REQUIRED unless enableAuthenticationUpgrade, then challenged. */
  needsAuthentication?: boolean;
  /** Authorized; a chargeback (notifyDispute DISPUTE_CREATED) follows each capture some seconds later. */
  disputed?: boolean;
}

const OUTCOMES: Record<string, CardOutcome> = {
  '4000000000000002': { status: 'F', code: 'DO_NOT_HONOR' },
  '4000000000009995': { status: 'F', code: 'USER_BALANCE_NOT_ENOUGH' },
  '4000000000009987': { status: 'F', code: 'LOST_CARD' },
  '4000000000009979': { status: 'F', code: 'STOLEN_CARD' },
  '4000000000000127': { status: 'F', code: 'INVALID_CVV', cvv: 'N' },
  '4000000000000101': { status: 'S', cvv: 'N' },
  '4000000000000010': { status: 'S', avs: 'N' },
  '4000000000000028': { status: 'S', avs: 'A' },
  '4000000000000036': { status: 'S', avs: 'Z' },
  '4000000000000044': { status: 'S', avs: 'U' },
  '4000000000003220': { status: 'CHALLENGE' },
  // A challenge whose authorization, once approved, fails AVS: the policy must act on a late result too.
  '4000000000003238': { status: 'CHALLENGE', avs: 'N' },
  '4000002760003184': { status: 'F', code: 'AUTHENTICATION_REQUIRED', needsAuthentication: true },
  '4000000000004954': { status: 'F', code: 'RISK_REJECT' },
  '4000000000000259': { status: 'S', disputed: true },
};

export function outcomeFor(cardNo: string): CardOutcome {
  return { avs: 'Y', cvv: 'M', ...(OUTCOMES[cardNo] ?? { status: 'S' }) };
}

/** The brands brandOf names (in its order), and the co-badged brand of 4000002500001001: what the sandbox pays. */
export const SANDBOX_BRANDS = ['VISA', 'MASTERCARD', 'AMEX', 'JCB', 'DINERS', 'DISCOVER', 'CUP', 'CARTES_BANCAIRES'] as const;

export function brandOf(cardNo: string): string {
  if (/^4/.test(cardNo)) return 'VISA';
  if (/^(5[1-5]|2[2-7])/.test(cardNo)) return 'MASTERCARD';
  if (/^3[47]/.test(cardNo)) return 'AMEX';
  if (/^35/.test(cardNo)) return 'JCB';
  if (/^(30|36|38)/.test(cardNo)) return 'DINERS';
  if (/^(6011|65)/.test(cardNo)) return 'DISCOVER';
  if (/^62/.test(cardNo)) return 'CUP';
  return 'UNKNOWN';
}
