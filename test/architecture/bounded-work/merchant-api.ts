/* The merchant API: headers and request target, then request bodies (defence documents included). */
import { deflateRawSync, deflateSync } from 'node:zlib';

import { isMerchantApiPath } from '../../../src/antom/api-paths';
import { scanCardNumbers } from '../../../src/antom/card-numbers/scan';
import { textLayers } from '../../../src/antom/card-numbers/text-layers';
import { checkDefenseDocument, DefenseCheck } from '../../../src/antom/defense-document';
import { originForm } from '../../../src/antom/origin-form';
import { parseRequestTime } from '../../../src/antom/request-time';
import { dropNullMembers } from '../../../src/antom/requests/absent-nulls';
import { GetCardInfoRequestDto } from '../../../src/antom/requests/card-info.dto';
import { refuseCardNumbersInFreeText } from '../../../src/antom/requests/card-number-fields';
import { validateBody } from '../../../src/antom/requests/common.dto';
import { ConsultRequestDto } from '../../../src/antom/requests/consult.dto';
import { duplicateKey, duplicateKeyMessage } from '../../../src/antom/requests/duplicate-keys';
import { jsonShapeProblem } from '../../../src/antom/requests/json-shape';
import { PayRequestDto } from '../../../src/antom/requests/pay.dto';
import { parseSignatureHeader, verify } from '../../../src/antom/signature';
import { upstreamEnv } from '../../../src/authorization/upstream-env';
import { validateCreditPayPlan } from '../../../src/card-features/credit-pay-plan';
import { checkKoreanNonAuthenticated } from '../../../src/card-features/korean-local-card';
import { keyVersionOf } from '../../../src/merchant-api/key-version';
import { assertReachableLiteral, classifyAddress, mayReach, unreachableAmong } from '../../../src/notifications/outbox/notify-target-guard';
import { buyerEnv } from '../../../src/pci/card-collection/collect/buyer-env';
import { escapeAttr } from '../../../src/pci/card-collection/collect/collect-page-assets';
import { normalizeOrigin } from '../../../src/pci/card-collection/collect/origins';
import { binOfCardNumber } from '../../../src/pci/card-collection/validation/card-bin';
import { RawCardInput, validateCard } from '../../../src/pci/card-collection/validation/card-validation';
import { checkExpiry } from '../../../src/pci/card-collection/validation/expiry';
import { parseBillingAddress, parseCardholderName } from '../../../src/pci/card-collection/validation/holder-fields';
import { vaultingCardInput } from '../../../src/pci/card-collection/vaulting-card';
import { scrubDeep } from '../../../src/platform/logging/redaction';
import { ANCHORED, AT_FLOOR, Attack, CARD_TEXT, Case, KiB, LIMITS, MiB, ONE_CLASS, publicKey, quietly, r, rep, rx } from './harness';

/** A PDF whose whole text is `text` (latin1), or one deflated stream of it. */
function pdf(text: string, deflated = false): string {
  const head = '%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n';
  const body = deflated
    ? Buffer.concat([Buffer.from(head, 'latin1'), deflateSync(Buffer.from(text, 'latin1')), Buffer.from('\nendstream\nendobj\n%%EOF\n')])
    : Buffer.from(`%PDF-1.4\n${text}`, 'latin1');
  return body.toString('base64');
}

/** Inflated text of a stream that fills the budget (16 MiB) but for room for the document's own bytes. */
const INFLATED = 16 * MiB - 4 * KiB;
/** `unit` repeated to `n` characters after `before`. */
const fill = (unit: string, n: number, before = '') => before + unit.repeat(Math.floor((n - before.length) / unit.length));

/**
 * A .docx-looking zip: `entries` central-directory records (the EOCD may claim `claimed` of them), all naming one
 * part of `part`, stored (method 0) or deflated (8).
 */
function zipOfOnePart(entries: number, part: Buffer, method: 0 | 8 = 0, claimed = entries): Buffer {
  const name = Buffer.from('word/document.xml');
  const data = method === 8 ? deflateRawSync(part) : part;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(method, 8);
  local.writeUInt16LE(name.length, 26);
  const record = Buffer.alloc(46);
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt16LE(method, 10);
  record.writeUInt32LE(data.length, 20);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(claimed, 10);
  eocd.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, ...Array<Buffer>(entries).fill(record), eocd]);
}

/** A zip whose one part is a zip, `depth` deep, the innermost holding `part`. */
const nestedZip = (depth: number, part: Buffer): Buffer => (depth === 0 ? part : zipOfOnePart(1, nestedZip(depth - 1, part), 8));

/** A document attack: `make` ignores n (the document limit is the size of what it decodes to, not of the Base64). */
const doc = (name: string, make: () => string | Buffer): Attack => ({
  name,
  make: () => {
    const d = make();
    return typeof d === 'string' ? d : d.toString('base64');
  },
});

/** checkDefenseDocument, failing unless the answer is one of `answers` (a reason, or 'ok'). */
function checks(...answers: string[]): (s: string) => DefenseCheck {
  return (s) => {
    const r = checkDefenseDocument(s, LIMITS.document.bytes);
    const answer = r.ok ? 'ok' : r.reason;
    if (!answers.includes(answer)) throw new Error(`checkDefenseDocument answered "${answer}", not ${answers.map((a) => `"${a}"`).join(' or ')}`);
    return r;
  };
}
const EXPANDS = 'expands beyond what can be checked';

/** Merchant bodies of n bytes for the duplicate-name scan (JSON.parse accepts each, as it must before the scan). */
const json = {
  manyNames: (n: number) => `{${Array.from({ length: Math.floor(n / 12) }, (_, i) => `"k${String(i).padStart(7, '0')}":1`).join(',')}}`,
  longNames: (n: number) => `{"${'a'.repeat(n / 2 - 8)}":1,"${'a'.repeat(n / 2 - 8)}":2}`,
  escapedNames: (n: number) => `{"${'\\u0041'.repeat(n / 12)}":1,"${'\\u0041'.repeat(n / 12)}":2}`,
  deepObjects: (n: number) => `${'{"a":'.repeat(n / 5)}1${'}'.repeat(n / 5)}`,
  digitsName: (n: number) => `{"${'12345a'.repeat(n / 12)}":1,"${'12345a'.repeat(n / 12)}":2}`,
};

export const MERCHANT_API: Case[] = [
  // ---- Merchant API: headers and request target (signature checked after these parse) ----
  {
    what: 'parseSignatureHeader, keyVersionOf (antom/signature.ts, merchant-api/key-version.ts)',
    input: 'Signature header',
    limit: LIMITS.headers,
    why: 'split on commas, each part cut at its first "="; keyVersion: anchored, at most 9 digits',
    covers: { 'src/merchant-api/key-version.ts': [r`/^[1-9]\d{0,8}$/`] },
    attacks: [rep(','), rep('a=b,'), rep('1', '', 'keyVersion='), rep('=', '', 'signature=')],
    run: (s) => [parseSignatureHeader(s), keyVersionOf(s), keyVersionOf(`algorithm=RSA256,${s}`)],
  },
  {
    what: 'verify: the signature value decoded (antom/signature.ts)',
    input: 'Signature header, signature=…',
    limit: LIMITS.headers,
    why: 'decodeURIComponent, spaces to "+", then STRICT_BASE64: one class and ={0,2}, anchored (recheck: linear)',
    covers: { 'src/antom/signature.ts': [r`/ /g`, r`/^[A-Za-z0-9+/]+={0,2}$/`] },
    attacks: [rep('A'), rep('%2B'), rep(' ', '!'), rep('A', '==!')],
    run: (s) => verify({ path: '/ams/api/v1/payments/pay', clientId: 'c', time: '1', body: '{}' }, s, publicKey()),
  },
  {
    what: 'parseRequestTime (antom/request-time.ts)',
    input: 'Request-Time header (merchant requests and acquirer notifications)',
    limit: LIMITS.headers,
    why: 'trim, then anchored patterns whose quantified parts are separated by literals (recheck: linear)',
    covers: {
      'src/antom/request-time.ts': [r`/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)$/i`, r`/^\d+$/`],
    },
    attacks: [rep('1'), rep('1', 'Z', '2026-01-01T00:00:00.'), rep(' ', 'x'), rep('2026-01-01T00:00:00')],
    run: (s) => parseRequestTime(s),
  },
  {
    what: 'originForm, isMerchantApiPath (antom/origin-form.ts, antom/api-paths.ts)',
    input:
      'request target (absolute-form from the Python SDK): the error filter and the per-IP limit (onRequest, before the signature) ask whether it is a merchant API call',
    limit: LIMITS.headers,
    why: 'ABSOLUTE_FORM anchored, its classes end at "://" and at the first / ? #; /#.*$/s matches from the first "#" at once (recheck: linear); isMerchantApiPath: startsWith of three prefixes (it replaced the filter\'s ANTOM_PATH regex)',
    covers: { 'src/antom/origin-form.ts': [r`/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i`, r`/#.*$/s`] },
    attacks: [rep('a'), rep('a', '', 'http://'), rep('#', '', 'http://h/'), rep('a+.-'), rep('/'), rep('a', '', '/ams/api/')],
    run: (s) => [isMerchantApiPath(originForm(s)), isMerchantApiPath(s)],
  },
  rx(
    'src/platform/health/health.controller.ts',
    r`/^Bearer\s+(\S+)\s*$/i`,
    'Authorization header on /metrics',
    LIMITS.headers,
    'anchored; \\s and \\S are disjoint, so each character has one reading (recheck: linear)',
    rep('a ', 'x', 'Bearer '),
    rep(' ', '\u0001', 'Bearer'),
  ),
  rx(
    'src/pci/card-collection/collect/collect-page.controller.ts',
    r`/^application\/json\b/i`,
    'Content-Type of a card submission',
    LIMITS.headers,
    ANCHORED,
    rep('a', '', 'application/json'),
  ),
  rx(
    'src/pci/card-collection/collect/collect-session.service.ts',
    r`/^cs_[A-Za-z0-9_-]{32}$/`,
    'hosted card page session id (URL path)',
    LIMITS.headers,
    ANCHORED,
    rep('a', '', 'cs_'),
  ),

  // ---- Merchant API: request bodies (after the signature) ----
  {
    what: 'JSON.parse, jsonShapeProblem, dropNullMembers (merchant-auth.guard.ts parseJson)',
    input: 'merchant request body',
    limit: LIMITS.body,
    why: 'JSON.parse is linear; the walks are iterative and stop at 10,000 values or depth 32; UNSTORABLE: three alternatives of one character with one-character lookarounds (recheck: safe)',
    covers: { 'src/antom/requests/json-shape.ts': [r`/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/`] },
    attacks: [
      { name: 'one string of surrogate pairs (4 bytes each)', make: (n) => `{"a":"${'\uD83D\uDE00'.repeat(n / 4)}"}` },
      { name: 'an array of n/2 numbers', make: (n) => `[${'0,'.repeat(n / 2 - 1)}0]` },
      { name: 'objects nested n/5 deep', make: (n) => `${'{"a":'.repeat(n / 5)}1${'}'.repeat(n / 5)}` },
      {
        name: '9,999 null members with long names',
        make: (n) => `{${Array.from({ length: 9999 }, (_, i) => `"${i}${'k'.repeat(n / 10_000)}":null`).join(',')}}`,
      },
    ],
    run: (text) => {
      const v = quietly(() => JSON.parse(text));
      return jsonShapeProblem(v) ?? dropNullMembers(v);
    },
  },
  {
    what: 'duplicateKey, duplicateKeyMessage (antom/requests/duplicate-keys.ts)',
    input: 'merchant request body and /antom/notify body, as text, once JSON.parse has taken it (before the shape checks cap values and depth)',
    limit: LIMITS.body,
    why: "one forward pass, no regex, no recursion: each character read once, a name with escapes decoded once more, looked up in its object's Set; QUOTABLE on each name of the path (16 at most): anchored, (?!.*\\d{6}) reads the name once and \\d{6} is tried from each position for at most 6 characters (recheck: linear)",
    covers: { 'src/antom/requests/duplicate-keys.ts': [r`/^(?!.*\d{6})[A-Za-z_][A-Za-z0-9_]{0,63}$/`] },
    attacks: [
      // QUOTABLE's .* reads a whole name: at full size; the scan itself has no regex.
      { name: 'one name of n/2 characters, repeated', make: json.longNames },
      { name: 'a repeated name of "12345a" (no six digits: QUOTABLE reads it all)', make: json.digitsName },
      { name: 'n/12 distinct names in one object', make: json.manyNames, smaller: AT_FLOOR },
      { name: 'one name of n/12 escapes, repeated', make: json.escapedNames, smaller: AT_FLOOR },
      { name: 'objects nested n/5 deep', make: json.deepObjects, smaller: AT_FLOOR },
    ],
    run: (text) => {
      const d = duplicateKey(text);
      return d && [duplicateKeyMessage(d), duplicateKeyMessage({ name: d.name, segments: [d.name] })];
    },
  },
  {
    what: 'validateBody: class-validator on every pattern-checked field (requests/*.dto.ts, antom-scalars.ts)',
    input: 'merchant request body fields',
    limit: LIMITS.body,
    why: 'every validator runs, @MaxLength failing or not: @Matches patterns are anchored with bounded quantifiers; @IsUrl refuses over 2,084 characters before parsing',
    covers: {
      'src/antom/requests/common.dto.ts': [r`/^(0|[1-9]\d{0,17})$/`, r`/^[A-Z]{3}$/`],
      'src/antom/requests/antom-scalars.ts': [r`/^[+-]?\d{1,15}$/`, r`/^(0|[1-9]\d{0,8})$/`],
      'src/antom/requests/pay.dto.ts': [r`/^[A-Z]{2}$/`],
      'src/antom/requests/card-info.dto.ts': [r`/^\d{6,8}$/`, r`/^[A-Z]{2}$/`],
      'src/antom/requests/consult.dto.ts': [r`/^[A-Z]{2}$/`, r`/^([A-Z]{2}|GLOBAL)$/`],
    },
    attacks: [rep('1'), rep('A'), rep('a.', '', 'https://'), rep('1', '', '-')],
    run: (s) => {
      const env = { colorDepth: s, screenHeight: s, screenWidth: s, timeZoneOffset: s, deviceId: s };
      const pay = {
        productCode: 'CASHIER_PAYMENT',
        paymentRequestId: s,
        order: { orderDescription: s },
        paymentAmount: { currency: s, value: s },
        paymentMethod: { paymentMethodType: s },
        env,
        paymentRedirectUrl: s,
        paymentNotifyUrl: s,
        merchantRegion: s,
        userRegion: s,
      };
      const consult = {
        productCode: 'CASHIER_PAYMENT',
        paymentAmount: { currency: 'EUR', value: '1' },
        userRegion: s,
        merchantRegion: s,
        allowedPaymentMethodRegions: [s],
      };
      return Promise.all(
        [
          validateBody(PayRequestDto, pay),
          validateBody(GetCardInfoRequestDto, { cardBin: s, paymentMethodRegion: s }),
          validateBody(ConsultRequestDto, consult),
        ].map((p) => p.catch(() => undefined)),
      );
    },
  },
  rx(
    'src/antom/requests/antom-scalars.ts',
    r`/^-?(0|[1-9]\d{0,8})$/`,
    'a signed integer field (AntomIntegerString({ signed: true }))',
    LIMITS.body,
    ANCHORED,
    rep('1', '', '-'),
  ),
  {
    what: 'refuseCardNumbersInFreeText (antom/requests/card-number-fields.ts), containsCardNumber (antom/pan-runs.ts)',
    input: 'every free-text field and key of a merchant request',
    limit: LIMITS.body,
    why: 'one walk over the body (10,000 values at most); each string and key asked of containsCardNumber once: at most five text layers (textLayers), each one scan (scanCardNumbers), random ids blanked first (below); /phone/i: a literal, once per key',
    covers: { 'src/antom/requests/card-number-fields.ts': [r`/phone/i`] },
    // The walk adds nothing per character, and halves the text: containsCardNumber's work on these is fed whole, at
    // full size, below (replaceCardNumbers) and in the defence document cases (16 MiB).
    attacks: [...CARD_TEXT, rep('phone')].map((a) => ({
      ...a,
      smaller: { bytes: AT_FLOOR.bytes, why: 'the same texts are fed whole at 10 and 16 MiB below' },
    })),
    // One body of n characters: half a nested free-text value, half a field name.
    run: (s) =>
      quietly(() => refuseCardNumbersInFreeText({ order: { goods: [{ goodsName: s.slice(0, s.length / 2) }] }, [s.slice(s.length / 2)]: 1 })),
  },
  {
    what: 'replaceCardNumbers (antom/pan-runs.ts) through scrubDeep (platform/logging/redaction.ts)',
    input: 'every value the gateway logs (a whole body-sized string before it is cut to 2 KB)',
    limit: LIMITS.body,
    why: 'the work of containsCardNumber and more: every text layer (textLayers) scanned whole (scanCardNumbers, below), random ids blanked first: UUID fixed length per start, HEX_RUN {24} then one class (a {24,} threw RangeError past ~7 million hex characters: fixed), /[a-f]/i one class; replaceCardNumbers: at most 5 rounds, then the marker alone (the rounds were unbounded: cubic, fixed)',
    covers: {
      'src/antom/pan-runs.ts': [
        r`/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi`,
        r`/[0-9a-f]{24}[0-9a-f]*|[0-9A-F]{24}[0-9A-F]*/g`,
        r`/[a-f]/i`,
      ],
    },
    attacks: [
      ...CARD_TEXT,
      rep('2720123412341234-'),
      rep('a'),
      { ...rep('aaaaaaaaaaaaaaaaaaaaaaaA'), smaller: AT_FLOOR },
      {
        // Each number's last digit three "&amp;" deeper than the one before: before the bound, one round per number,
        // each a rescan of all the text (n^1.5 rounds·n: 245 KB took 5 s, 2 MiB well over the deadline).
        name: 'numbers each hidden one round deeper in "&amp;" chains',
        make: (n) => {
          const parts = ['4111111111111111'];
          for (let k = 1, len = 16; len < n; k++) {
            parts.push(`411111111111111&${'amp;'.repeat(3 * k - 1)}#49;`);
            len += parts[parts.length - 1].length + 3;
          }
          return parts.join(' x ');
        },
        smaller: { bytes: 2 * MiB, why: 'unbounded rounds already pass the deadline at 2 MiB; bounded, 10 MiB takes ~10 s (six rescans)' },
      },
    ],
    // scrubDeep scrubs with replaceCardNumbers, before it cuts the value to 2 KB.
    run: (s) => scrubDeep({ v: [s] }),
  },
  {
    what: 'scanCardNumbers (antom/card-numbers/scan.ts)',
    input: "every layer of every text the detector reads: the largest is a defence document's text",
    limit: LIMITS.documentText,
    why: "no regex: one pass; at a group's end at most 19 group starts (a ring) are compared, each window's Luhn sum from two running sums in O(1), its brand by one table read",
    covers: {},
    // The worst case at full size (a candidate at every digit); one 16 MiB run is fed by the defence document case.
    attacks: [
      rep('1 '),
      ...[rep('1'), rep('4111111111111111 '), rep('4111111111111112 '), rep('4.-'), rep('1a')].map((a) => ({ ...a, smaller: AT_FLOOR })),
    ],
    run: (s) => [scanCardNumbers(s, true).length, scanCardNumbers(s).length],
  },
  {
    what: 'textLayers (antom/card-numbers/text-layers.ts)',
    input: "every text the detector reads: the largest is a defence document's text",
    limit: LIMITS.documentText,
    why: "at most 2 + 3 layers, each one pass: percent-decoding a hand-written loop (no regex: a megabyte run of %XX overflowed V8's backtrack stack); CHAR_REF at most 12 characters per start; /\\+/g, /%/g and /[^\\x00-\\x7f]/ one class; NFKC after a joiner each 30 marks in a row (ICU reorders a run of marks by insertion: 160,000 took 55 s; fixed), THIRTY_MARKS a fixed count per start (recheck: linear)",
    covers: {
      'src/antom/card-numbers/text-layers.ts': [
        r`/&#(?:[xX]([0-9A-Fa-f]{1,6})|(\d{1,7}));?|&(nbsp|amp|lt|gt|quot|apos);/g`,
        r`/[\p{M}\uFF9E\uFF9F]{30}(?=[\p{M}\uFF9E\uFF9F])/gu`,
        r`/[^\x00-\x7f]/`,
      ],
    },
    attacks: [
      // The long runs the percent loop and THIRTY_MARKS take, at full size; the rest are bounded per match: 1 MiB.
      rep('%41'),
      rep('4'),
      ...[rep('%'), rep('%4'), rep('%2525'), rep('+'), rep('&#52;'), rep('&#x1234567'), rep('&amp;'), rep('amp;', '#52;', '&')].map((a) => ({
        ...a,
        smaller: AT_FLOOR,
      })),
      // In UTF-8 bytes, as the limit counts them: marks are two bytes, full-width digits three.
      {
        name: 'combining marks of four classes (U+0345 U+0301 U+0316 U+05B0)×n/8',
        make: (n) => '\u0345\u0301\u0316\u05b0'.repeat(n / 8),
        // normalize() is ICU, native: V8's deadline cannot interrupt it, only fail the test once it returns. Without the
        // joiners 160,000 such marks took 55 s: 400 KB (200,000) fails after a minute or two; 16 MiB would run for days.
        smaller: { bytes: 400 * KiB, why: 'a native call the deadline cannot stop: big enough to fail, small enough to return' },
      },
      { name: '"a" and 40 marks of four classes, ×n/81', make: (n) => `a${'\u0345\u0301\u0316\u05b0'.repeat(10)}`.repeat(n / 81), smaller: AT_FLOOR },
      { name: 'URL-encoded marks (%CC%81%CC%96)×n/12', make: (n) => '%CC%81%CC%96'.repeat(n / 12), smaller: AT_FLOOR },
      { name: 'full-width digits ×n/3', make: (n) => '４'.repeat(n / 3), smaller: AT_FLOOR },
    ],
    run: (s) => textLayers(s).length,
  },
  {
    what: 'checkDefenseDocument: the Base64 check (antom/defense-document.ts)',
    input: 'supplyDefenseDocument disputeEvidence; the console upload, Base64-encoded',
    limit: LIMITS.evidence,
    why: 'BASE64: groups of exactly four, then an optional padded tail: giving back a group costs one step (recheck: linear)',
    covers: { 'src/antom/defense-document.ts': [r`/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/`] },
    attacks: [rep('A', '!'), rep('AAAA', 'A='), rep('A', '===')],
    run: (s) => checkDefenseDocument(s, LIMITS.document.bytes),
  },
  {
    what: "checkDefenseDocument: the card-number scan of a PDF's text (antom/defense-document.ts, documents/pdf-text.ts)",
    input: 'a defence document',
    limit: LIMITS.document,
    why: 'every text of the document (raw, each decoded stream, the strings shown) asked of containsCardNumber once: linear (above); a stream starting "x" is no hex or ASCII85, so its whole 16 MiB is scanned',
    covers: {},
    attacks: [
      doc('750,000 bytes of Luhn-failing 16-digit runs', () => pdf(fill('4111111111111112 ', LIMITS.document.bytes - 9))),
      doc('a PDF stream inflating to 16 MiB of digits (one run)', () => pdf(fill('1', INFLATED, 'x'), true)),
    ],
    run: checks('ok'),
    exact: true,
  },
  {
    what: "checkDefenseDocument: a PDF's strings and filters (antom/documents/pdf-text.ts)",
    input: 'a defence document, raw and every inflated stream',
    limit: LIMITS.document,
    why: 'no regex: streams found by indexOf from where the last ended; literal strings read once to their balanced ")" (escapes one or three bytes ahead), hex strings once to ">" (else the scan goes on from where they stopped), "<<" skipped; each filter one pass, chained at most 3 deep, every decoded byte paid from the 16 MiB budget (ASCII85 decodes into what is left of it: fixed)',
    covers: {},
    attacks: [
      doc('a PDF of 750,000 "<"', () => pdf('<'.repeat(LIMITS.document.bytes - 9))),
      doc('a PDF stream inflating to 16 MiB of "<"', () => pdf(fill('<', INFLATED), true)),
      doc('a PDF of 750,000 bytes of "<x" (a hex string refused at each)', () => pdf(fill('<x', LIMITS.document.bytes - 9))),
      doc('a PDF of 750,000 "(" (nested to the end)', () => pdf('('.repeat(LIMITS.document.bytes - 9))),
      doc('a PDF of 750,000 bytes of "\\\\" escapes in one string', () => pdf(fill('\\\\', LIMITS.document.bytes - 9, '('))),
      doc('a PDF stream inflating to 16 MiB of octal escapes in one string (refused: its text is paid too)', () =>
        pdf(fill('\\061', INFLATED, '('), true),
      ),
      doc('a PDF of 750,000 bytes of a hex string without its ">"', () => pdf(fill('4', LIMITS.document.bytes - 9, '<'))),
      doc('a PDF stream of 750,000 bytes of ASCII85 without its "~>"', () => pdf(`stream\n<~${'!'.repeat(LIMITS.document.bytes - 40)}\nendstream`)),
      doc('a PDF stream inflating to 4 MiB of "z" then "~>" (ASCII85: 16 MiB of zeros past what is left)', () =>
        pdf(`${fill('z', 4 * MiB)}~>`, true),
      ),
      // Each stream is tried as Flate, hex and ASCII85 (a failed inflate each: ~0.6 ms under Jest, whose errors are
      // costly to build), 10,000 streams at most: 2,000 of them, and the entry budget's refusal on empty ones.
      doc('a PDF of 2,000 streams of "<"', () => pdf(Array(2000).fill('stream\n<<<<<<<<<<\nendstream\n').join(''))),
      doc('a PDF of 10,001 empty streams', () => pdf(Array(10_001).fill('stream\nendstream\n').join(''))),
    ],
    run: checks('ok', EXPANDS),
    exact: true,
  },
  {
    what: 'checkDefenseDocument: a .docx (antom/documents/word-text.ts)',
    input: 'a defence document (.docx, or the OLE .doc)',
    limit: LIMITS.document,
    why: 'zip entries by the central directory, at most 10,000 in all (the EOCD count checked first), every part charged to the budget, stored or inflated, and read twice at most (as text, without markup: indexOf from where the scan stands); nested zips 3 deep at most',
    covers: {},
    attacks: [
      // No regex run grows with these (see AT_FLOOR): 1 MiB parts; defense-document.spec.ts reads 15 MiB ones.
      doc('a part inflating to 1 MiB of "<"', () => zipOfOnePart(1, Buffer.alloc(MiB, '<'), 8)),
      doc('a part inflating to 1 MiB of "<>a"', () => zipOfOnePart(1, Buffer.from(fill('<>a', MiB)), 8)),
      doc('a UTF-16 part inflating to 1 MiB of "<"', () =>
        zipOfOnePart(1, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<'.repeat(MiB / 2 - 1), 'utf16le')]), 8),
      ),
      doc('9,999 entries of one small part', () => zipOfOnePart(9_999, Buffer.from('<w:t>1 2 3 4</w:t>'))),
      doc('an OLE .doc of 750,000 bytes of "1\\0"', () =>
        Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.from('1\u0000'.repeat((LIMITS.document.bytes - 8) / 2), 'latin1')]),
      ),
    ],
    run: checks('ok', EXPANDS),
    exact: true,
  },
  {
    what: 'checkDefenseDocument: a .docx whose zip expands past what can be checked (antom/documents/word-text.ts, budget.ts)',
    input: 'a defence document (.docx)',
    limit: LIMITS.document,
    why: 'refused, not read: the EOCD count is charged to the entry budget (10,000) before any record is read, every reading of a part to the byte budget, stored or not (issue 23 found 8,150 readings of one stored part: 3 GB of text from 750 KB; fixed), a zip nested in three more refused',
    covers: {},
    attacks: [
      doc('8,150 directory entries, one 375,000-byte stored part', () => zipOfOnePart(8150, Buffer.alloc(375_000, 'x'))),
      doc('an EOCD claiming 65,535 entries (16,000 records present)', () => zipOfOnePart(16_000, Buffer.from('<w:t>x</w:t>'), 0, 65_535)),
      doc('10,001 entries of one small part', () => zipOfOnePart(10_001, Buffer.from('<w:t>x</w:t>'))),
      doc('zips nested 4 deep', () => nestedZip(4, Buffer.from('<w:t>x</w:t>'))),
    ],
    run: checks(EXPANDS),
    exact: true,
  },
  {
    what: 'classifyAddress, mayReach, assertReachableLiteral, unreachableAmong (notifications/outbox/notify-target-guard.ts)',
    input: "a merchant's notify URL (paymentNotifyUrl, refundNotifyUrl, vaultingNotificationUrl; stored) and the addresses its host resolves to",
    limit: LIMITS.stored,
    why: 'isIP first: only an address it accepts is read further, cut at its "%" zone (45 characters at most); the dotted tail: each start reads at most 15 characters (recheck: linear); /^\\[|\\]$/g two one-character alternatives, anchored',
    covers: { 'src/notifications/outbox/notify-target-guard.ts': [r`/^\[|\]$/g`, r`/(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/`] },
    attacks: [
      rep('a', '', 'fe80::1%'),
      rep('1.', '', '::ffff:1.2.3.4%'),
      rep('1.', '', '::ffff:'),
      rep('1.'),
      rep('1:'),
      rep(':'),
      rep('['),
      rep(']'),
    ],
    run: (s) => [
      classifyAddress(s),
      mayReach(s, 'public'),
      mayReach(s, 'private'),
      unreachableAmong([s, s], 'loopback'),
      quietly(() => assertReachableLiteral(new URL(`https://[${s}]/`), 'public')),
      quietly(() => assertReachableLiteral(new URL(`https://${s}/`), 'public')),
    ],
  },
  rx(
    'src/notifications/outbox/notify-target-guard.ts',
    r`/(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/`,
    'an IPv6 address with a dotted tail (45 characters at most once isIP took it): fed whole all the same',
    LIMITS.stored,
    'unanchored at the start: each start reads at most 15 characters (recheck: linear)',
    rep('1.'),
    rep('1'),
    rep('111.', '', '1.1.'),
  ),
  rx(
    'src/operations/disputes.service.ts',
    r`/^gwd_[0-9a-f]{32}$/`,
    'disputeId of acceptDispute, supplyDefenseDocument',
    LIMITS.body,
    ANCHORED,
    rep('a', '', 'gwd_'),
  ),
  {
    what: 'upstreamEnv (authorization/upstream-env.ts)',
    input: 'env.timeZoneOffset of a pay request',
    limit: LIMITS.body,
    why: ANCHORED,
    covers: { 'src/authorization/upstream-env.ts': [r`/^[+-]?\d{1,15}$/`] },
    attacks: [rep('1'), rep('1', '', '+')],
    run: (s) => upstreamEnv({ timeZoneOffset: s }),
  },
  {
    what: 'validateCreditPayPlan (card-features/credit-pay-plan.ts)',
    input: 'creditPayPlan of a pay request',
    limit: LIMITS.body,
    why: '/^\\d+$/: one class, anchored (recheck: linear); Number() of the digits is linear',
    covers: { 'src/card-features/credit-pay-plan.ts': [r`/^\d+$/`] },
    attacks: [rep('1'), rep('1', '')],
    run: (s) =>
      [{ installmentNum: s }, { filteredInstallmentPeriods: [s] }, { installmentNum: '3', feePercentage: s }].map((plan) =>
        quietly(() => validateCreditPayPlan(plan, { region: 'JP', currency: 'JPY', brand: 'VISA' })),
      ),
  },
  {
    what: 'checkKoreanNonAuthenticated (card-features/korean-local-card.ts)',
    input: 'paymentMethodMetaData of a Korean card pay request',
    limit: LIMITS.body,
    why: ANCHORED,
    covers: { 'src/card-features/korean-local-card.ts': [r`/^\d{6}$/`, r`/^\d{10}$/`, r`/^\d{2}$/`] },
    attacks: [rep('1')],
    run: (s) =>
      [{ dateOfBirth: s }, { businessNo: s }, { businessNo: '1234567890', cardPasswordDigest: s }].map((meta) =>
        quietly(() => checkKoreanNonAuthenticated(meta)),
      ),
  },
  {
    what: 'validateCard, binOfCardNumber, checkExpiry, parseCardholderName, parseBillingAddress (pci/card-collection/validation/)',
    input: 'card fields: pay with a card, the hosted card page, vaultPaymentMethod',
    limit: LIMITS.body,
    why: 'lengths checked before /^\\d+$/ where the card number is concerned; every pattern anchored, bounded or one class (recheck: linear)',
    covers: {
      'src/pci/card-collection/validation/card-validation.ts': [r`/^\d+$/`],
      'src/pci/card-collection/validation/card-bin.ts': [r`/^\d{12,19}$/`],
      'src/pci/card-collection/validation/expiry.ts': [r`/^(0?[1-9]|1[0-2])$/`, r`/^(\d{2}|\d{4})$/`],
      'src/pci/card-collection/validation/holder-fields.ts': [r`/[\u0000-\u001f\u007f]/`, r`/^[A-Z]{2}$/`],
    },
    attacks: [rep('1'), rep('A'), rep('a', '\u0000')],
    run: (s) => {
      const card = { cardNo: '4111111111111111', expiryMonth: '12', expiryYear: '30', cvv: '123' };
      const opts = { now: new Date('2026-01-01T00:00:00Z'), requireCvv: true };
      return [
        ...[
          { cardNo: s },
          { expiryMonth: s },
          { expiryYear: s },
          { cvv: s },
          { cardholderName: { fullName: s } },
          { billingAddress: { region: 'US', city: s } },
        ].map((f) => validateCard({ ...card, ...f } as RawCardInput, opts)),
        binOfCardNumber(s),
        checkExpiry(s, s, opts.now),
        parseCardholderName({ fullName: s }),
        parseBillingAddress({ region: s }),
      ];
    },
  },
  {
    what: 'vaultingCardInput (pci/card-collection/vaulting-card.ts)',
    input: 'field names of paymentMethodDetail.card (vaultPaymentMethod)',
    limit: LIMITS.body,
    why: ANCHORED,
    covers: { 'src/pci/card-collection/vaulting-card.ts': [r`/^[A-Za-z][A-Za-z0-9]{0,63}$/`] },
    attacks: [rep('a'), rep('A1')],
    run: (s) => quietly(() => vaultingCardInput({ [s]: 'x' })),
  },
  {
    what: 'buyerEnv (pci/card-collection/collect/buyer-env.ts)',
    input: "the hosted page's browser fields and the buyer's headers",
    limit: LIMITS.body,
    why: ANCHORED,
    covers: { 'src/pci/card-collection/collect/buyer-env.ts': [r`/^[A-Za-z0-9-]{1,32}$/`] },
    attacks: [rep('a'), rep('1')],
    run: (s) => buyerEnv({ language: s, colorDepth: s, screenHeight: s, timeZoneOffset: s }, { userAgent: s, acceptHeader: s, clientIp: s }),
  },
  {
    what: 'normalizeOrigin (pci/card-collection/collect/origins.ts)',
    input: "a merchant's allowed origins and a session's parent origin",
    limit: LIMITS.body,
    why: 'over 256 characters refused before URL parsing; the host pattern needs a "." after each label, so each character has one reading (recheck: linear)',
    covers: { 'src/pci/card-collection/collect/origins.ts': [r`/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i`, r`/\/$/`] },
    attacks: [rep('a.', '', 'https://'), rep('a', '_', 'https://'), rep('/', '', 'https://a')],
    run: (s) => [normalizeOrigin(s), normalizeOrigin(s.slice(0, 256))],
  },
  {
    what: 'escapeAttr (pci/card-collection/collect/collect-page-assets.ts)',
    input: "a session's redirect URL and parent origin",
    limit: { bytes: 2048, what: 'redirectUrl: @MaxLength(2048); a parent origin: 256' },
    why: ONE_CLASS,
    covers: { 'src/pci/card-collection/collect/collect-page-assets.ts': [r`/[&<>"']/g`] },
    attacks: [rep('&'), rep('a')],
    run: (s) => escapeAttr(s).length,
  },
  rx(
    'src/authorization/card-on-file.ts',
    r`/^[\x21-\x7e]{1,64}$/`,
    'a stored-credential reference in a pay request',
    LIMITS.body,
    ANCHORED,
    rep('!'),
  ),
  rx('src/pci/vault/wire-card.ts', r`/^\d{3,4}$/`, 'cvv of a token payment', LIMITS.body, ANCHORED, rep('1')),
  rx(
    'src/pci/vault/crypto/envelope.ts',
    r`/^\d+$/`,
    'the card number, once validated (12–19 digits)',
    { bytes: 19, what: 'at most 19 characters: fingerprint() refuses anything longer before the pattern' },
    "one class, anchored, after a length cap of 19 (a pattern over megabytes of digits overflows V8's backtrack stack)",
    rep('1'),
    rep('1', ''),
  ),
  rx('src/merchant-api/response-signer.ts', r`/^[\w-]{1,64}$/`, 'paymentId of a request, named in the access log', LIMITS.body, ANCHORED, rep('a')),
];
