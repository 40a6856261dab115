import { lengthMaskOf6 } from './card-brands';

/**
 * One pass over a text for card numbers as people type, paste and hide them: digit groups (ASCII, full-width,
 * Arabic-Indic or Devanagari digits) joined by up to three separator characters (spaces of any kind, tabs,
 * line breaks, dashes, dots, underscores, slashes, commas, colons, zero-width characters) or by none, with
 * letters or anything else around (an order prefix glued to the digits, groups split by dots or NBSP; the unit
 * spec card-numbers.spec.ts holds the examples).
 *
 * A card is any run of whole groups, 12–19 digits together, that a network could issue (card-brands.ts) and
 * that passes the Luhn check; a group is never cut, so "PAY-61202412071548-0001" is three groups and holds no
 * card. Linear in the text: no regular expression, each group start is compared with at most 19 group ends,
 * and the Luhn sum of any window comes from two running sums in O(1). Measured: 16 MB of "1 1 1 …" (the worst
 * case, a candidate at every digit) in about 1 s on this machine; ordinary text at ~100 MB/s.
 */
export interface CardNumberHit {
  /** Offsets in the scanned text: [start, end). */
  start: number;
  end: number;
}

const MAX_GAP = 3;
const MIN_LEN = 12;
const MAX_LEN = 19;
/** Group starts kept: a window of 19 digits spans at most 19 groups. */
const RING = MAX_LEN + 1;

/** The digit's value, or -1. */
function digitOf(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c < 0x660) return -1;
  if (c >= 0xff10 && c <= 0xff19) return c - 0xff10; // full-width
  if (c >= 0x660 && c <= 0x669) return c - 0x660; // Arabic-Indic
  if (c >= 0x6f0 && c <= 0x6f9) return c - 0x6f0; // Extended Arabic-Indic
  if (c >= 0x966 && c <= 0x96f) return c - 0x966; // Devanagari
  return -1;
}

const SEPARATOR_CHARS =
  ' \t\r\n\f\v-._/\\,:;|+*~\u00a0\u00ad\u00b7\u1680\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u202f\u205f\u2060\u3000\u30fb\ufeff\uff0d\uff0e\uff0f\uff3f';
const SEPARATORS = new Set(Array.from(SEPARATOR_CHARS, (ch) => ch.charCodeAt(0)));

function isSeparator(c: number): boolean {
  return SEPARATORS.has(c) || (c >= 0x2000 && c <= 0x200d); // en/em spaces … zero-width joiner
}

/** Luhn digit contribution when doubled. */
const DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];

/*
 * The scan's buffers, shared by every call (the scan is synchronous and calls nothing that scans: no call sees
 * another's state). Each slot is written before it is read within a call: a group's slots when the group
 * starts, recent[p] when digit p is read. Allocating them per call was most of a short text's cost (~3 µs).
 */
const recent = new Uint8Array(64); // digit p at recent[p & 63]
// Ring of the last RING group starts: digit index, text offset, running sums there, brand mask (lazy, -1).
const gStart = new Int32Array(RING);
const gPos = new Int32Array(RING);
const gEven = new Float64Array(RING);
const gOdd = new Float64Array(RING);
const gMask = new Int32Array(RING);

/**
 * The card numbers in `text`, in order, not overlapping. With `first`, stops at the first one (a yes/no scan).
 * The scan is over code units; a number is found wherever its digits stand, whatever is around it.
 */
export function scanCardNumbers(text: string, first = false): CardNumberHit[] {
  const hits: CardNumberHit[] = [];
  // The current run: digits seen (count), running Luhn sums by parity, the last 64 digits (for brand prefixes).
  let count = 0;
  let sumEven = 0; // Σ over digits p: doubled when p is even, plain when odd
  let sumOdd = 0; // the other way round
  let groups = 0; // group starts in the run so far
  let oldest = 0; // the oldest group start still within MAX_LEN digits of the run's end
  let inGroup = false;
  let gap = 0;
  let claimedTo = -1; // digit index up to which the run is already part of a hit

  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    const d = c < 0 ? -1 : digitOf(c);
    if (d >= 0) {
      if (!inGroup) {
        const slot = groups % RING;
        gStart[slot] = count;
        gPos[slot] = i;
        gEven[slot] = sumEven;
        gOdd[slot] = sumOdd;
        gMask[slot] = -1;
        groups++;
        inGroup = true;
      }
      if (count % 2 === 0) {
        sumEven += DOUBLED[d];
        sumOdd += d;
      } else {
        sumEven += d;
        sumOdd += DOUBLED[d];
      }
      recent[count & 63] = d;
      count++;
      continue;
    }
    if (inGroup) {
      // A group ended at offset i: each window of whole groups ending here, longest first.
      inGroup = false;
      gap = 0;
      if (oldest < groups - RING) oldest = groups - RING;
      while (oldest < groups && count - gStart[oldest % RING] > MAX_LEN) oldest++;
      for (let g = oldest; g < groups; g++) {
        const slot = g % RING;
        const s = gStart[slot];
        const len = count - s;
        if (len < MIN_LEN) break;
        if (s < claimedTo) continue;
        if (gMask[slot] < 0)
          gMask[slot] = lengthMaskOf6(
            recent[s & 63] * 100000 +
              recent[(s + 1) & 63] * 10000 +
              recent[(s + 2) & 63] * 1000 +
              recent[(s + 3) & 63] * 100 +
              recent[(s + 4) & 63] * 10 +
              recent[(s + 5) & 63],
          );
        if (((gMask[slot] >> len) & 1) === 0) continue;
        // The rightmost digit is plain; digits at the same parity as `count` are doubled.
        if ((count % 2 === 0 ? sumEven - gEven[slot] : sumOdd - gOdd[slot]) % 10 !== 0) continue;
        hits.push({ start: gPos[slot], end: i });
        if (first) return hits;
        claimedTo = count;
        break;
      }
    }
    if (groups === 0) continue;
    // Up to MAX_GAP separators join two groups; anything else ends the run.
    gap = c >= 0 && isSeparator(c) ? gap + 1 : MAX_GAP + 1;
    if (gap > MAX_GAP) {
      count = sumEven = sumOdd = groups = oldest = 0;
      claimedTo = -1;
    }
  }
  return hits;
}
