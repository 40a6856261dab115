import { inflateSync } from 'node:zlib';

import { Budget, BudgetError, isOverBudget } from './budget';

/**
 * The text of a PDF, as a card-number scan must see it: every `stream … endstream` decoded through the filters
 * people use to hide text (FlateDecode, ASCIIHexDecode, ASCII85Decode, chained up to MAX_CHAIN deep, in any
 * order), and the strings shown in each content — literal strings with their escapes (octal `\064`, `\(`,
 * line continuations), hex strings (`<34313131…>`), UTF-16 strings — joined by single spaces, so a number
 * split across `Tj`/`TJ` operators, kerning or moves reads as digit groups the scanner joins again.
 * Linear: each byte is looked at a bounded number of times; every decoded byte is paid from the budget.
 */
const MAX_CHAIN = 3;

export function pdfTexts(doc: Buffer, budget: Budget): string[] {
  const contents: Buffer[] = [doc];
  let at = 0;
  for (;;) {
    const start = doc.indexOf('stream', at, 'latin1');
    if (start < 0) break;
    let from = start + 6;
    if (doc[from] === 0x0d) from++;
    if (doc[from] === 0x0a) from++;
    const end = doc.indexOf('endstream', from, 'latin1');
    if (end < 0) break;
    at = end + 9;
    if (doc.subarray(Math.max(0, start - 3), start).toString('latin1') === 'end') continue;
    if (--budget.entries < 0) throw new BudgetError();
    decodedForms(doc.subarray(from, end), budget, 0, contents);
  }
  const out: string[] = [];
  for (const c of contents) {
    out.push(c.toString('latin1'));
    const shown = shownStrings(c, budget);
    if (shown) out.push(shown);
  }
  return out;
}

/** Each way the stream decodes, and what those decode to in turn (a filter chain). */
function decodedForms(data: Buffer, budget: Budget, depth: number, into: Buffer[]): void {
  if (depth >= MAX_CHAIN || data.length === 0) return;
  for (const decode of [inflated, asciiHexDecoded, ascii85Decoded]) {
    let out: Buffer | null;
    try {
      out = decode(data, budget);
    } catch (e) {
      if (isOverBudget(e)) throw new BudgetError();
      out = null; // not this filter
    }
    if (!out || out.length === 0) continue;
    budget.spend(out.length);
    into.push(out);
    decodedForms(out, budget, depth + 1, into);
  }
}

function inflated(data: Buffer, budget: Budget): Buffer {
  return inflateSync(data, { maxOutputLength: Math.max(1, budget.left) });
}

const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

/** ASCIIHexDecode: hex pairs and white space up to `>`; null when anything else stands there. */
function asciiHexDecoded(data: Buffer): Buffer | null {
  const out = Buffer.alloc(Math.ceil(data.length / 2));
  let n = 0;
  let high = -1;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === 0x3e) break;
    if (isSpace(c)) continue;
    if (!isHex(c)) return null;
    const v = parseInt(String.fromCharCode(c), 16);
    if (high < 0) high = v;
    else {
      out[n++] = high * 16 + v;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high * 16;
  return out.subarray(0, n);
}

/**
 * ASCII85Decode: groups of five `!`–`u`, `z` for four zeros, up to `~>`; null when it is not that. Decoded into
 * at most what is left of the budget, past which bytes are only counted: each `z` is four bytes, and an array of
 * them grown first and charged after took 560 MB for a 4 MB stream (1.8 GB for 16 MB).
 */
function ascii85Decoded(data: Buffer, budget: Budget): Buffer | null {
  const end = data.indexOf('~>', 0, 'latin1');
  if (end < 0) return null;
  const out = Buffer.alloc(Math.max(0, Math.min(end * 4, budget.left))); // no input byte decodes to more than 4
  let n = 0; // bytes decoded; those past out.length are over the budget
  const put = (b: number) => {
    if (n < out.length) out[n] = b;
    n++;
  };
  let group: number[] = [];
  const flush = (g: number[], bytes: number) => {
    let v = 0;
    for (let k = 0; k < 5; k++) v = v * 85 + (g[k] ?? 84);
    for (let k = 0; k < bytes; k++) put((v >>> (24 - 8 * k)) & 0xff);
  };
  for (let i = data[0] === 0x3c && data[1] === 0x7e ? 2 : 0; i < end; i++) {
    const c = data[i];
    if (isSpace(c)) continue;
    if (c === 0x7a && group.length === 0) for (let k = 0; k < 4; k++) put(0);
    else if (c >= 0x21 && c <= 0x75) {
      group.push(c - 0x21);
      if (group.length === 5) {
        flush(group, 4);
        group = [];
      }
    } else return null;
  }
  if (group.length > 1) flush(group, group.length - 1);
  if (n > out.length) throw new BudgetError(); // as budget.spend would, on the whole output
  return out.subarray(0, n);
}

/** The strings a content stream shows, in order, joined by single spaces (empty when it shows none). */
function shownStrings(c: Buffer, budget: Budget): string {
  const parts: string[] = [];
  let i = 0;
  while (i < c.length) {
    const ch = c[i];
    if (ch === 0x28) {
      const [s, next] = literalString(c, i + 1);
      parts.push(s);
      i = next;
    } else if (ch === 0x3c && c[i + 1] === 0x3c) i += 2;
    else if (ch === 0x3c) {
      const [s, next] = hexString(c, i + 1);
      if (s !== null) parts.push(s);
      i = next;
    } else i++;
  }
  if (parts.length === 0) return '';
  const text = parts.join(' ');
  budget.spend(text.length);
  return text;
}

/** A literal string from after its `(` to its balanced `)`: [text, offset after]. Unclosed: to the end. */
function literalString(c: Buffer, from: number): [string, number] {
  const bytes: number[] = [];
  let depth = 1;
  let i = from;
  for (; i < c.length; i++) {
    const ch = c[i];
    if (ch === 0x5c) {
      const e = c[++i];
      if (e >= 0x30 && e <= 0x37) {
        let v = e - 0x30;
        for (let k = 0; k < 2 && c[i + 1] >= 0x30 && c[i + 1] <= 0x37; k++) v = v * 8 + (c[++i] - 0x30);
        bytes.push(v & 0xff);
      } else if (e === 0x0d || e === 0x0a) {
        if (e === 0x0d && c[i + 1] === 0x0a) i++;
      } else bytes.push({ 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c }[e] ?? e);
      continue;
    }
    if (ch === 0x28) depth++;
    else if (ch === 0x29 && --depth === 0) return [stringText(bytes), i + 1];
    bytes.push(ch);
  }
  return [stringText(bytes), i];
}

/** A hex string from after its `<` to `>`: [text or null when it is not one, offset to go on from]. */
function hexString(c: Buffer, from: number): [string | null, number] {
  const bytes: number[] = [];
  let high = -1;
  for (let i = from; i < c.length; i++) {
    const ch = c[i];
    if (ch === 0x3e) {
      if (high >= 0) bytes.push(high * 16);
      return [stringText(bytes), i + 1];
    }
    if (isSpace(ch)) continue;
    if (!isHex(ch)) return [null, i]; // not a hex string: go on from here (each byte is read once)
    const v = parseInt(String.fromCharCode(ch), 16);
    if (high < 0) high = v;
    else {
      bytes.push(high * 16 + v);
      high = -1;
    }
  }
  return [null, c.length];
}

/** PDF text strings: UTF-16BE after a byte-order mark, else one byte a character. */
function stringText(bytes: number[]): string {
  const b = Buffer.from(bytes);
  if (b[0] === 0xfe && b[1] === 0xff)
    return Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)))
      .swap16()
      .toString('utf16le');
  return b.toString('latin1');
}
