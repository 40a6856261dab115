/**
 * The one masking rule for a card number shown anywhere (answers, pages, the sandbox): the last 4,
 * and at the front at most the 6-digit BIN, and never more than half of the digits in all
 * (PCI DSS 3.4.1 sets BIN + last 4 as the maximum; half keeps short PANs from being nearly shown:
 * a 12-digit Maestro card shows 2 + 4). Anything shorter than 12 digits is masked whole.
 */
export function maskedLead(length: number): number {
  if (length < 12) return 0;
  return Math.min(6, Math.floor(length / 2) - 4);
}

/** `pan` is digits (or an already masked form with '*'); the result keeps its length. */
export function maskCardNumber(pan: string): string {
  if (typeof pan !== 'string') return '';
  if (pan.length < 12) return '*'.repeat(pan.length);
  const lead = maskedLead(pan.length);
  return pan.slice(0, lead) + '*'.repeat(pan.length - lead - 4) + pan.slice(-4);
}

/**
 * A masked card number from a stored BIN and last 4 when the length is not kept: an 8-digit BIN
 * belongs to a PAN of 16 digits or more, a 6-digit one to 12–15 digits; the shortest length of each
 * class decides how much of the BIN may show, so the rule holds whatever the real length.
 */
export function maskFromBinAndLast4(bin: string, last4: string): string {
  const length = bin.length >= 8 ? 16 : 12;
  const lead = maskedLead(length);
  return bin.slice(0, lead) + '*'.repeat(length - lead - 4) + last4.slice(-4);
}

/** How many BIN digits a page may show next to the last 4 (same reasoning as maskFromBinAndLast4). */
export function shownBin(bin: string): string {
  return bin.slice(0, maskedLead(bin.length >= 8 ? 16 : 12));
}
