import { createHash } from 'node:crypto';

import { Budget, BudgetError } from './documents/budget';
import { pdfTexts } from './documents/pdf-text';
import { wordTexts } from './documents/word-text';
import { containsCardNumber } from './pan-runs';

/** DisputeEvidenceFormatType in Antom's SDKs. */
export type DefenseFormat = 'PDF' | 'WORD';

export type DefenseCheck = { ok: true; bytes: number; format: DefenseFormat; sha256: string } | { ok: false; reason: string };

/** Decoded text examined per document, at most: a zip or PDF stream that expands past it is refused, not skipped. */
export const TEXT_BUDGET_BYTES = 16 * 1024 * 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

/**
 * A defence document as Antom takes it (Base64 of a PDF or Word file), checked before it leaves the
 * gateway: strict Base64, a PDF (`%PDF-`) or Word file (.docx zip with `word/`, or the OLE .doc), and no
 * card number in its text as a reader would see it (documents/pdf-text.ts, documents/word-text.ts) by the
 * product's one detector (pan-runs.ts). Never stored: the caller keeps only the size, format and SHA-256.
 *
 * Every step is linear in the decoded text and the decoded text is capped (TEXT_BUDGET_BYTES), so the work
 * any document can cause is bounded; the caller still runs it off the event loop with a deadline
 * (operations/defense-document-check.ts). Measured: a 300-byte .docx inflating to 120,000 `<` is checked in
 * ~10 ms (it took 22–38 s with a tag-stripping regular expression).
 */
export function checkDefenseDocument(base64: string, maxBytes: number): DefenseCheck {
  if (base64.length > Math.ceil(maxBytes / 3) * 4 + 4) return { ok: false, reason: `is larger than ${maxBytes} bytes` };
  if (!BASE64.test(base64)) return { ok: false, reason: 'must be Base64 (RFC 4648, padded, no line breaks)' };
  const doc = Buffer.from(base64, 'base64');
  if (doc.length === 0) return { ok: false, reason: 'is empty' };
  if (doc.length > maxBytes) return { ok: false, reason: `is larger than ${maxBytes} bytes` };
  const format = formatOf(doc);
  if (!format) return { ok: false, reason: 'must be a PDF or Word document' };
  try {
    const budget = new Budget(TEXT_BUDGET_BYTES);
    const texts = format === 'PDF' ? pdfTexts(doc, budget) : wordTexts(doc, budget);
    if (texts.some(containsCardNumber)) return { ok: false, reason: 'must not contain a card number' };
  } catch (e) {
    return { ok: false, reason: e instanceof BudgetError ? 'expands beyond what can be checked' : 'is damaged' };
  }
  return { ok: true, bytes: doc.length, format, sha256: createHash('sha256').update(doc).digest('hex') };
}

function formatOf(doc: Buffer): DefenseFormat | null {
  if (doc.subarray(0, 5).toString('latin1') === '%PDF-') return 'PDF';
  if (doc.subarray(0, 8).equals(OLE)) return 'WORD';
  if (doc.length >= 4 && doc.readUInt32LE(0) === 0x04034b50 && doc.includes('word/')) return 'WORD';
  return null;
}
