/**
 * Interprets the scheme's raw AVS and CVV codes (Antom passes them through) into the three checks a
 * merchant acts on. Codes follow the usual scheme convention (ANTOM-CONTRACT.md §4).
 */
export type CheckResult = 'pass' | 'fail' | 'unavailable';

export interface CardChecks {
  addressLine1Check: CheckResult;
  postalCodeCheck: CheckResult;
  cvcCheck: CheckResult;
}

const AVS: Record<string, [CheckResult, CheckResult]> = {
  Y: ['pass', 'pass'], // address and postal code match
  X: ['pass', 'pass'],
  D: ['pass', 'pass'],
  M: ['pass', 'pass'],
  A: ['pass', 'fail'], // address only
  B: ['pass', 'unavailable'],
  Z: ['fail', 'pass'], // postal code only
  W: ['fail', 'pass'],
  P: ['unavailable', 'pass'],
  N: ['fail', 'fail'],
  U: ['unavailable', 'unavailable'],
  R: ['unavailable', 'unavailable'], // retry
  S: ['unavailable', 'unavailable'], // not supported
  G: ['unavailable', 'unavailable'], // global unavailable
};

const CVV: Record<string, CheckResult> = { M: 'pass', Y: 'pass', N: 'fail', P: 'unavailable', S: 'unavailable', U: 'unavailable' };

export function interpretChecks(avsResultRaw: unknown, cvvResultRaw: unknown): CardChecks {
  const [address, postal] = AVS[String(avsResultRaw ?? '').toUpperCase()] ?? ['unavailable', 'unavailable'];
  return { addressLine1Check: address, postalCodeCheck: postal, cvcCheck: CVV[String(cvvResultRaw ?? '').toUpperCase()] ?? 'unavailable' };
}

export type AvsPolicy = 'ACCEPT' | 'REVIEW' | 'VOID';

/** What the merchant's policy says to do with an authorization whose checks came back. */
export function policyDecision(checks: CardChecks, policy: AvsPolicy): 'ACCEPT' | 'REVIEW' | 'VOID' {
  return checksFailed(checks) ? policy : 'ACCEPT';
}

/** Whether any check failed: only then does the policy have anything to say (and cost a statement). */
export function checksFailed(checks: CardChecks | undefined): checks is CardChecks {
  return !!checks && (checks.addressLine1Check === 'fail' || checks.postalCodeCheck === 'fail' || checks.cvcCheck === 'fail');
}
