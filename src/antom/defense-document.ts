import { createHash } from 'node:crypto';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { containsCardNumber } from './pan-runs';

/** DisputeEvidenceFormatType in Antom's SDKs. */
export type DefenseFormat = 'PDF' | 'WORD';

export type DefenseCheck =
  | { ok: true; bytes: number; format: DefenseFormat; sha256: string }
  | { ok: false; reason: string };

/** Inflated text examined per document, at most: a zip or PDF stream that expands past it is refused, not skipped. */
const TEXT_BUDGET_BYTES = 16 * 1024 * 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
/** Only runs standing apart and starting like an issued card count: PDF offsets (`0000000017 00000 n`) are not cards. */
const PAN = { bounded: true };

/**
 * A defence document as Antom takes it (Base64 of a PDF or Word file), checked before it leaves the
 * gateway: strict Base64, a PDF (`%PDF-`) or Word file (.docx zip with `word/`, or the OLE .doc), and no
 * card number in its text — the raw bytes, every deflated PDF stream and every part of a .docx, read as
 * text. Never stored: the caller keeps only the size, format and SHA-256.
 */
export function checkDefenseDocument(base64: string, maxBytes: number): DefenseCheck {
  if (!BASE64.test(base64)) return { ok: false, reason: 'must be Base64 (RFC 4648, padded, no line breaks)' };
  const doc = Buffer.from(base64, 'base64');
  if (doc.length === 0) return { ok: false, reason: 'is empty' };
  if (doc.length > maxBytes) return { ok: false, reason: `is larger than ${maxBytes} bytes` };
  const format = formatOf(doc);
  if (!format) return { ok: false, reason: 'must be a PDF or Word document' };
  let texts: string[];
  try {
    texts = textsOf(doc, format);
  } catch (e) {
    return { ok: false, reason: e instanceof BudgetError ? 'expands beyond what can be checked' : 'is damaged' };
  }
  if (texts.some(holdsCard)) return { ok: false, reason: 'must not contain a card number' };
  return { ok: true, bytes: doc.length, format, sha256: createHash('sha256').update(doc).digest('hex') };
}

function formatOf(doc: Buffer): DefenseFormat | null {
  if (doc.subarray(0, 5).toString('latin1') === '%PDF-') return 'PDF';
  if (doc.subarray(0, 8).equals(OLE)) return 'WORD';
  if (doc.readUInt32LE(0) === 0x04034b50 && doc.includes('word/')) return 'WORD';
  return null;
}

/** A digit run split by markup (`<w:t>4111</w:t><w:t>1111…`) is still read whole: tags dropped, and tags as spaces. */
function holdsCard(text: string): boolean {
  if (containsCardNumber(text, PAN)) return true;
  if (!text.includes('<')) return false;
  return containsCardNumber(text.replace(/<[^>]*>/g, ''), PAN) || containsCardNumber(text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' '), PAN);
}

class BudgetError extends Error {}

function textsOf(doc: Buffer, format: DefenseFormat): string[] {
  const budget = { left: TEXT_BUDGET_BYTES };
  const out = [doc.toString('latin1')];
  if (format === 'PDF') out.push(...pdfStreams(doc, budget));
  else if (doc.readUInt32LE(0) === 0x04034b50) out.push(...zipEntries(doc, budget));
  return out;
}

function spend(budget: { left: number }, n: number): void {
  budget.left -= n;
  if (budget.left < 0) throw new BudgetError();
}

/** Each `stream … endstream` that inflates (FlateDecode); others are examined raw, as above. */
function pdfStreams(doc: Buffer, budget: { left: number }): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = doc.indexOf('stream', at, 'latin1');
    if (start < 0) return out;
    let from = start + 6;
    if (doc[from] === 0x0d) from++;
    if (doc[from] === 0x0a) from++;
    const end = doc.indexOf('endstream', from, 'latin1');
    if (end < 0) return out;
    at = end + 9;
    if (doc.subarray(start - 3, start).toString('latin1') === 'end') continue;
    try {
      const text = inflateSync(doc.subarray(from, end), { maxOutputLength: Math.max(1, budget.left) });
      spend(budget, text.length);
      out.push(text.toString('latin1'));
    } catch (e) {
      if (e instanceof BudgetError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new BudgetError();
      // Not deflated (or another filter): its raw bytes were examined with the document's.
    }
  }
}

/** Every entry of a .docx (a zip), by its central directory, inflated. */
function zipEntries(doc: Buffer, budget: { left: number }): string[] {
  const eocd = doc.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > doc.length) throw new Error('no zip directory');
  const count = doc.readUInt16LE(eocd + 10);
  let p = doc.readUInt32LE(eocd + 16);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > doc.length || doc.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip directory');
    const method = doc.readUInt16LE(p + 10);
    const size = doc.readUInt32LE(p + 20);
    const local = doc.readUInt32LE(p + 42);
    p += 46 + doc.readUInt16LE(p + 28) + doc.readUInt16LE(p + 30) + doc.readUInt16LE(p + 32);
    if (local + 30 > doc.length || doc.readUInt32LE(local) !== 0x04034b50) throw new Error('bad zip entry');
    const dataAt = local + 30 + doc.readUInt16LE(local + 26) + doc.readUInt16LE(local + 28);
    const data = doc.subarray(dataAt, dataAt + size);
    if (method === 0) out.push(data.toString('latin1'));
    else if (method === 8) {
      let text: Buffer;
      try {
        text = inflateRawSync(data, { maxOutputLength: Math.max(1, budget.left) });
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new BudgetError();
        throw e;
      }
      spend(budget, text.length);
      out.push(text.toString('latin1'));
    } else throw new Error('unsupported zip compression');
  }
  return out;
}
