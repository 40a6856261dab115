import { inflateRawSync } from 'node:zlib';

import { Budget, BudgetError, isOverBudget } from './budget';

/**
 * The text of a Word file, as a card-number scan must see it. A .docx is a zip: every entry by its central
 * directory, inflated, a zip inside it opened too (MAX_NESTING deep), each part read as UTF-8 or UTF-16 (by
 * its byte-order mark or its zero bytes) with its markup reduced to single spaces, so a number split across
 * runs (`<w:t>4111</w:t></w:r><w:r><w:t>1111…`) reads as digit groups. Character references (`&#52;`) are
 * undone by the detector itself. The OLE .doc keeps its text as UTF-16LE: read that way as well.
 * Linear: markup is skipped by indexOf from where the scan stands, never re-scanned.
 */
const MAX_NESTING = 3;
const ZIP_LOCAL = 0x04034b50;

export function isZip(doc: Buffer): boolean {
  return doc.length >= 4 && doc.readUInt32LE(0) === ZIP_LOCAL;
}

export function wordTexts(doc: Buffer, budget: Budget): string[] {
  if (!isZip(doc)) return [doc.toString('latin1'), ...utf16Readings(doc)];
  const out: string[] = [];
  for (const part of zipEntries(doc, budget, 0)) {
    const text = partText(part);
    const bare = withoutMarkup(text);
    out.push(text);
    if (bare !== text) out.push(bare);
  }
  return out;
}

/** Both byte alignments of a UTF-16LE reading. */
function utf16Readings(doc: Buffer): string[] {
  return [doc.subarray(0, doc.length & ~1).toString('utf16le'), doc.subarray(1, 1 + ((doc.length - 1) & ~1)).toString('utf16le')];
}

function partText(b: Buffer): string {
  if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2, 2 + ((b.length - 2) & ~1)).toString('utf16le');
  if (b[0] === 0xfe && b[1] === 0xff)
    return Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)))
      .swap16()
      .toString('utf16le');
  if (b.length >= 4 && b[1] === 0 && b[3] === 0) return b.subarray(0, b.length & ~1).toString('utf16le');
  if (b.length >= 4 && b[0] === 0 && b[2] === 0)
    return Buffer.from(b.subarray(0, b.length & ~1))
      .swap16()
      .toString('utf16le');
  return b.toString('utf8');
}

/** Text with each stretch of tags (and the blanks between them) as one space. */
export function withoutMarkup(text: string): string {
  const parts: string[] = []; // joined once at the end: appending to one string and reading its end would flatten it each time
  let spaced = false;
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('<', i);
    if (open < 0) {
      parts.push(text.slice(i));
      break;
    }
    if (open > i) {
      parts.push(text.slice(i, open));
      spaced = text.charCodeAt(open - 1) === 0x20;
    }
    const close = text.indexOf('>', open + 1);
    if (close < 0) {
      parts.push(text.slice(open)); // no tag closes: the rest is text
      break;
    }
    if (!spaced) parts.push(' ');
    spaced = true;
    i = close + 1;
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  }
  return parts.join('');
}

/** Every entry of a zip, by its central directory, inflated; entries that are zips are opened in turn. */
function zipEntries(doc: Buffer, budget: Budget, depth: number): Buffer[] {
  const eocd = doc.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > doc.length) throw new Error('no zip directory');
  const count = doc.readUInt16LE(eocd + 10);
  budget.entries -= count;
  if (budget.entries < 0) throw new BudgetError();
  let p = doc.readUInt32LE(eocd + 16);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > doc.length || doc.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip directory');
    const method = doc.readUInt16LE(p + 10);
    const size = doc.readUInt32LE(p + 20);
    const local = doc.readUInt32LE(p + 42);
    p += 46 + doc.readUInt16LE(p + 28) + doc.readUInt16LE(p + 30) + doc.readUInt16LE(p + 32);
    if (local + 30 > doc.length || doc.readUInt32LE(local) !== ZIP_LOCAL) throw new Error('bad zip entry');
    const dataAt = local + 30 + doc.readUInt16LE(local + 26) + doc.readUInt16LE(local + 28);
    const data = doc.subarray(dataAt, dataAt + size);
    let entry: Buffer;
    if (method === 0) entry = data;
    else if (method === 8) {
      try {
        entry = inflateRawSync(data, { maxOutputLength: Math.max(1, budget.left) });
      } catch (e) {
        if (isOverBudget(e)) throw new BudgetError();
        throw e;
      }
    } else throw new Error('unsupported zip compression');
    budget.spend(entry.length);
    if (isZip(entry)) {
      if (depth + 1 >= MAX_NESTING) throw new BudgetError();
      out.push(...zipEntries(entry, budget, depth + 1));
    } else out.push(entry);
  }
  return out;
}
