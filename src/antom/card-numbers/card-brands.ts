/**
 * The numbers card networks issue: prefix ranges (IIN/BIN) with the lengths each network uses, from the
 * networks' published ranges (ISO/IEC 7812 registrations as collected for card-number validation). A run of
 * digits is taken for a card only when a network could have issued it — a prefix here, one of its lengths,
 * and the Luhn check — so that ordinary identifiers (order numbers, dates, timestamps, sequences) are never
 * taken for cards: "300120241132" (12 digits from 300: Diners numbers are 14–19), "61202412071548" (no
 * network's range starts 6120), epoch milliseconds (17…, 13 digits: UATP is 15).
 *
 * Not `credit-card-type`: its patterns are made for typing and include catch-alls (any number from 6 is
 * Maestro there). Korean domestic-only numbers are not listed (no published range; they are found by an
 * operator's BIN table, never by this detector): compliance/hardening-controls.md "One card-number detector".
 */
interface IssuedRange {
  brand: string;
  /** Inclusive prefix bounds of one length ("2221"–"2720"). */
  from: string;
  to: string;
  lengths: readonly number[];
}

const L16_19 = [16, 17, 18, 19];

export const ISSUED_RANGES: readonly IssuedRange[] = [
  { brand: 'UATP', from: '1', to: '1', lengths: [15] },
  // GPN and Mir allow up to 19 digits on paper and issue 16: 19-digit ids from 19… and 22… are Snowflake-style
  // ids of 2025–2028 (milliseconds << 22), which must not be refused.
  { brand: 'GPN', from: '1946', to: '1946', lengths: [16] },
  { brand: 'MIR', from: '2200', to: '2204', lengths: [16] },
  { brand: 'BORICA', from: '2205', to: '2205', lengths: [16] },
  { brand: 'MASTERCARD', from: '2221', to: '2720', lengths: [16] },
  { brand: 'DINERS', from: '300', to: '305', lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'DINERS', from: '3095', to: '3095', lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'DINERS', from: '36', to: '36', lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'DINERS', from: '38', to: '39', lengths: L16_19 },
  { brand: 'CHINA_T_UNION', from: '31', to: '31', lengths: [19] },
  { brand: 'AMEX', from: '34', to: '34', lengths: [15] },
  { brand: 'AMEX', from: '37', to: '37', lengths: [15] },
  { brand: 'JCB', from: '3528', to: '3589', lengths: L16_19 },
  { brand: 'HIPERCARD', from: '3841', to: '3841', lengths: [16, 19] },
  { brand: 'VISA', from: '4', to: '4', lengths: [13, 16, 19] },
  { brand: 'MAESTRO', from: '5018', to: '5018', lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'DANKORT', from: '5019', to: '5019', lengths: [16] },
  { brand: 'MAESTRO', from: '5020', to: '5020', lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'MAESTRO', from: '5038', to: '5038', lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'ELO', from: '504175', to: '504175', lengths: [16] },
  { brand: 'VERVE', from: '506099', to: '506198', lengths: [16, 18, 19] },
  { brand: 'ELO', from: '506699', to: '506778', lengths: [16] },
  { brand: 'MEEZA', from: '5078', to: '5078', lengths: [16] },
  { brand: 'VERVE', from: '507865', to: '507964', lengths: [16, 18, 19] },
  { brand: 'RUPAY', from: '508500', to: '508999', lengths: [16] },
  { brand: 'ELO', from: '509000', to: '509999', lengths: [16] },
  { brand: 'MASTERCARD', from: '51', to: '55', lengths: [16] },
  { brand: 'MADA', from: '588845', to: '588850', lengths: [16] },
  { brand: 'MAESTRO', from: '5893', to: '5893', lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'DISCOVER', from: '6011', to: '6011', lengths: L16_19 },
  { brand: 'HIPERCARD', from: '606282', to: '606282', lengths: [16, 19] },
  { brand: 'RUPAY', from: '606985', to: '607984', lengths: [16] },
  { brand: 'RUPAY', from: '608001', to: '608500', lengths: [16] },
  { brand: 'UNIONPAY', from: '62', to: '62', lengths: L16_19 },
  { brand: 'MAESTRO', from: '6304', to: '6304', lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'INTERPAYMENT', from: '636', to: '636', lengths: L16_19 },
  { brand: 'INSTAPAYMENT', from: '637', to: '639', lengths: [16] },
  { brand: 'DISCOVER', from: '644', to: '649', lengths: L16_19 },
  { brand: 'DISCOVER', from: '65', to: '65', lengths: L16_19 },
  { brand: 'MAESTRO', from: '6759', to: '6759', lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'MAESTRO', from: '6761', to: '6763', lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'UNIONPAY', from: '8100', to: '8171', lengths: L16_19 },
  { brand: 'UZCARD', from: '8600', to: '8600', lengths: [16] },
  { brand: 'TROY', from: '9792', to: '9792', lengths: [16] },
  { brand: 'HUMO', from: '9860', to: '9860', lengths: [16] },
];

let byPrefix6: Int32Array | null = null;

/**
 * The lengths networks issue numbers starting with these six digits in, as a bit mask (bit n ⇔ length n),
 * 0 when no network issues the prefix. A table of the million 6-digit prefixes, filled once from the ranges
 * above (4 MB, ~10 ms), so the scan pays one array read per candidate.
 */
export function lengthMaskOf6(prefix6: number): number {
  if (!byPrefix6) {
    const table = new Int32Array(1_000_000);
    for (const r of ISSUED_RANGES) {
      const scale = 10 ** (6 - r.from.length);
      let mask = 0;
      for (const n of r.lengths) mask |= 1 << n;
      for (let p = Number(r.from) * scale; p < (Number(r.to) + 1) * scale; p++) table[p] |= mask;
    }
    byPrefix6 = table;
  }
  return byPrefix6[prefix6];
}

/** True when a network issues numbers of this length starting with these digits (no Luhn check here). */
export function isIssuable(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  return ((lengthMaskOf6(Number(digits.slice(0, 6))) >> digits.length) & 1) === 1;
}
