import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { BODY_LIMIT_BYTES_MAX } from '../../src/config/gateway-config';
import { DISPUTE_EVIDENCE_MAX_CHARS } from '../../src/antom/requests/dispute.dto';
import { KEY_FILE_MAX_BYTES, runMerchantCli } from '../../src/merchants/cli/merchant-cli';
import { keyVersionOf } from '../../src/merchant-api/key-version';
import { parseSignatureHeader, verify } from '../../src/antom/signature';
import { parseRequestTime } from '../../src/antom/request-time';
import { originForm } from '../../src/antom/origin-form';
import { jsonShapeProblem } from '../../src/antom/requests/json-shape';
import { dropNullMembers } from '../../src/antom/requests/absent-nulls';
import { validateBody } from '../../src/antom/requests/common.dto';
import { PayRequestDto } from '../../src/antom/requests/pay.dto';
import { GetCardInfoRequestDto } from '../../src/antom/requests/card-info.dto';
import { refuseCardNumbersInFreeText } from '../../src/antom/requests/card-number-fields';
import { containsCardNumber } from '../../src/antom/pan-runs';
import { scrubDeep } from '../../src/platform/logging/redaction';
import { checkDefenseDocument } from '../../src/antom/defense-document';
import { upstreamEnv } from '../../src/authorization/upstream-env';
import { validateCreditPayPlan } from '../../src/card-features/credit-pay-plan';
import { checkKoreanNonAuthenticated } from '../../src/card-features/korean-local-card';
import { RawCardInput, validateCard } from '../../src/pci/card-collection/validation/card-validation';
import { binOfCardNumber } from '../../src/pci/card-collection/validation/card-bin';
import { checkExpiry } from '../../src/pci/card-collection/validation/expiry';
import { parseBillingAddress, parseCardholderName } from '../../src/pci/card-collection/validation/holder-fields';
import { vaultingCardInput } from '../../src/pci/card-collection/vaulting-card';
import { buyerEnv } from '../../src/pci/card-collection/collect/buyer-env';
import { normalizeOrigin } from '../../src/pci/card-collection/collect/origins';
import { escapeAttr } from '../../src/pci/card-collection/collect/collect-page-assets';
import { parseDisputeNotice } from '../../src/settlement/dispute-notice';
import { safeMask } from '../../src/settlement/pay-outcome';
import { dateOrNull, referenceNo } from '../../src/antom/answers';
import { isWellFormedCode, upstreamUnknownCode } from '../../src/antom/result-codes';
import { asAntomModel } from '../../src/payments/antom-output-types';
import { looksLikeCardNumber, parseFilters, parseMaskedCard } from '../../src/admin/payments/payment-filters';
import { formatMinor, inMajorUnits, parseAmount } from '../../src/admin/payments/money';
import { parseAuditFilters } from '../../src/admin/audit-log/audit-filters';
import { isUserName } from '../../src/admin/auth/user-name';
import { normalizeRecoveryCode } from '../../src/admin/auth/recovery-codes';
import { escapeHtml } from '../../src/admin/views/html';
import { csvLine } from '../../src/admin/export/csv';
import { describeDetail } from '../../src/admin/views/timeline.view';
import { readCookie, readForm } from '../../src/admin/http/admin-http';
import { parseBinTable } from '../../src/card-features/bin-table';
import { keyFingerprint, parseClientId, parseName, parseNotifyUrl, parsePublicKey } from '../../src/merchants/merchant-input';
import { brandOf } from '../../sandbox/test-cards';
import { amountOf } from '../../sandbox/sandbox-context';
import { regexesIn } from './regex-literals';

/*
 * Every regular expression and parser that untrusted input reaches, with the most input it can receive
 * and why its work is linear in it (compliance/hardening-controls.md, issue 23).
 * bounded-work.spec.ts feeds each one adversarial input of at least that size; a regex that backtracks
 * super-linearly takes hours on it and fails the spec at its deadline instead of passing unseen. Every
 * regex in src/ and sandbox/ is either covered here or listed in TRUSTED with the reason no outsider
 * reaches it: a new one fails the spec until it is classified.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

export interface Limit {
  bytes: number;
  what: string;
}

export const LIMITS = {
  body: { bytes: BODY_LIMIT_BYTES_MAX, what: 'a request body (merchant API, /antom/notify, hosted card page, console form): Fastify bodyLimit = BODY_LIMIT_BYTES, at most 10 MiB' },
  headers: { bytes: http.maxHeaderSize, what: `request line and headers together: Node's maxHeaderSize, ${http.maxHeaderSize} bytes` },
  evidence: { bytes: DISPUTE_EVIDENCE_MAX_CHARS, what: 'disputeEvidence: 1,000,000 Base64 characters (@MaxLength, checked first)' },
  document: { bytes: (DISPUTE_EVIDENCE_MAX_CHARS / 4) * 3, what: 'a defence document: 750,000 bytes decoded, and at most 16 MiB of text inflated from it (TEXT_BUDGET_BYTES)' },
  acquirerAnswer: { bytes: 2 * MiB, what: "an acquirer's answer: UPSTREAM_ANSWER_LIMIT_BYTES, 2 MiB (upstream/antom-client.ts); notifications: the body limit" },
  stored: { bytes: BODY_LIMIT_BYTES_MAX, what: 'text the gateway stored from a checked request or notification: never longer than the body it came in' },
  keyFile: { bytes: KEY_FILE_MAX_BYTES, what: "a merchant's public key file: 64 KiB (merchant CLI)" },
  cliArgument: { bytes: 128 * KiB, what: 'one command-line argument: 128 KiB on Linux (MAX_ARG_STRLEN)' },
  binTable: { bytes: BODY_LIMIT_BYTES_MAX, what: "the BIN table CSV: the operator's file from a BIN feed, no limit (fed 10 MiB)" },
  sandboxBody: { bytes: 2 * MiB, what: 'a sandbox request body: bodyLimit 2 MiB (sandbox/sandbox-server.ts)' },
} satisfies Record<string, Limit>;

/**
 * Inputs whose real limit is smaller (headers, a key file) are fed this much all the same: quadratic work
 * on 1 MiB is about 5·10^11 steps (hours), linear work is milliseconds, so a regression cannot hide below
 * the deadline. A case marked `exact` is bounded by construction (19 digits, a 44-character digest).
 */
export const FLOOR = 1 * MiB;

export interface Attack {
  name: string;
  make: (n: number) => string;
  /** This input still fails: listed, not run. Says why and who fixes it. */
  known?: string;
}

export interface Case {
  /** The code fed: a function and its file, or one regex as written in its file. */
  what: string;
  /** Where the untrusted input comes from. */
  input: string;
  limit: Limit;
  /** Why the work is linear (or bounded) in the input; for a regex, recheck's verdict and the reason. */
  why: string;
  /** The regexes this case drives, by file, as written. */
  covers: Record<string, string[]>;
  attacks: Attack[];
  run: (input: string) => unknown;
  /** Fed exactly `limit.bytes`: bounded by construction (a digest, a bigint), not by a request limit. */
  exact?: boolean;
  /** Still super-linear: listed, not run (it would hold the machine for hours). Says who fixes it. */
  known?: string;
}

const show = (s: string) => (s ? JSON.stringify(s) : '');

/** `unit` repeated to about n characters, between `before` and `after`: a run that a quantifier takes, ended by what it refuses. */
export function rep(unit: string, after = '\u0001', before = ''): Attack {
  return {
    name: `${show(before)}${show(unit)}×n${show(after)}`,
    make: (n) => before + unit.repeat(Math.max(1, Math.ceil((n - before.length - after.length) / unit.length))) + after,
  };
}

/** An input refused with an exception is fine; an engine limit hit (RangeError: stack, string length) is not. */
const quietly = (f: () => unknown) => {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw e;
    return undefined;
  }
};

/** The regex as written in the file (not a copy), compiled. */
export function regexAt(file: string, text: string): RegExp {
  const found = regexesIn({ path: file, text: fs.readFileSync(path.join(__dirname, '../..', file), 'utf8') }).find((r) => r.text === text);
  if (!found?.regex) throw new Error(`${file} no longer holds ${text}: update bounded-work-cases.ts`);
  return found.regex;
}

/** One regex fed directly, used the way its code uses it: scanned whole with /g, else tested. */
function rx(file: string, text: string, input: string, limit: Limit, why: string, ...attacks: Attack[]): Case {
  let re: RegExp | undefined;
  return {
    what: `${text} (${file})`, input, limit, why, covers: { [file]: [text] }, attacks,
    run: (s) => {
      re ??= regexAt(file, text);
      return re.global ? s.replace(re, '') : re.test(s);
    },
  };
}

const r = String.raw;
const ANCHORED = 'anchored at ^ with bounded quantifiers: tried at one position, for a bounded number of characters (recheck: safe)';
const ONE_CLASS = 'one character class, scanned once per match (recheck: safe)';

let rsaPublicKey: KeyObject | undefined;
const publicKey = () => (rsaPublicKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
let pemText: string | undefined;
const pem = () => (pemText ??= publicKey().export({ type: 'spki', format: 'pem' }).toString());

/** A PDF whose whole text is `text` (latin1), or one deflated stream of it. */
function pdf(text: string, deflated = false): string {
  const head = '%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n';
  const body = deflated ? Buffer.concat([Buffer.from(head, 'latin1'), deflateSync(Buffer.from(text, 'latin1')), Buffer.from('\nendstream\nendobj\n%%EOF\n')]) : Buffer.from(`%PDF-1.4\n${text}`, 'latin1');
  return body.toString('base64');
}

/** A .docx-looking zip whose central directory names one stored part `entries` times. */
function zipOfOnePart(entries: number, partBytes: number): string {
  const name = Buffer.from('word/document.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(name.length, 26);
  const record = Buffer.alloc(46);
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt32LE(partBytes, 20);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries, 10);
  eocd.writeUInt32LE(30 + name.length + partBytes, 16);
  return Buffer.concat([local, name, Buffer.alloc(partBytes, 'x'), ...Array(entries).fill(record), eocd]).toString('base64');
}

/**
 * Found here, for the lead engineer's rewrite of pan-runs.ts (issue 23): RUN keeps one backtrack entry per
 * digit, and V8's regex stack overflows past about 8.3 million digits in one run (7 MiB: fine; 8 MiB:
 * RangeError). A body over 8 MiB (BODY_LIMIT_BYTES raised) or a defence document's inflated text (16 MiB
 * from a 16 KB PDF, at the default limits) then makes the card scan throw instead of answer.
 */
const LONG_RUN = "issue 23, found here: RangeError (V8's regex backtrack stack) on a digit run over ~8.3 million digits; pan-runs.ts is the lead engineer's";
const CARD_TEXT = [rep('4 '), rep('01234567-89ab-cdef-0123-456789abcdef4 '), { ...rep('4111111111111112 '), known: LONG_RUN }, { ...rep('1'), known: LONG_RUN }];

export const CASES: Case[] = [
  // ---- Merchant API: headers and request target (signature checked after these parse) ----
  {
    what: 'parseSignatureHeader, keyVersionOf (antom/signature.ts, merchant-api/key-version.ts)', input: 'Signature header', limit: LIMITS.headers,
    why: 'split on commas, each part cut at its first "="; keyVersion: anchored, at most 9 digits', covers: { 'src/merchant-api/key-version.ts': [r`/^[1-9]\d{0,8}$/`] },
    attacks: [rep(','), rep('a=b,'), rep('1', '', 'keyVersion='), rep('=', '', 'signature=')],
    run: (s) => [parseSignatureHeader(s), keyVersionOf(s), keyVersionOf(`algorithm=RSA256,${s}`)],
  },
  {
    what: 'verify: the signature value decoded (antom/signature.ts)', input: 'Signature header, signature=…', limit: LIMITS.headers,
    why: 'decodeURIComponent, spaces to "+", then STRICT_BASE64: one class and ={0,2}, anchored (recheck: linear)', covers: { 'src/antom/signature.ts': [r`/ /g`, r`/^[A-Za-z0-9+/]+={0,2}$/`] },
    attacks: [rep('A'), rep('%2B'), rep(' ', '!'), rep('A', '==!')],
    run: (s) => verify({ path: '/ams/api/v1/payments/pay', clientId: 'c', time: '1', body: '{}' }, s, publicKey()),
  },
  {
    what: 'parseRequestTime (antom/request-time.ts)', input: 'Request-Time header (merchant requests and acquirer notifications)', limit: LIMITS.headers,
    why: 'trim, then anchored patterns whose quantified parts are separated by literals (recheck: linear)', covers: { 'src/antom/request-time.ts': [r`/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)$/i`, r`/^\d+$/`] },
    attacks: [rep('1'), rep('1', 'Z', '2026-01-01T00:00:00.'), rep(' ', 'x'), rep('2026-01-01T00:00:00')],
    run: (s) => parseRequestTime(s),
  },
  {
    what: 'originForm (antom/origin-form.ts)', input: 'request target (absolute-form from the Python SDK)', limit: LIMITS.headers,
    why: 'ABSOLUTE_FORM anchored, its classes end at "://" and at the first / ? #; /#.*$/s matches from the first "#" at once (recheck: linear)', covers: { 'src/antom/origin-form.ts': [r`/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i`, r`/#.*$/s`] },
    attacks: [rep('a'), rep('a', '', 'http://'), rep('#', '', 'http://h/'), rep('a+.-')],
    run: (s) => originForm(s),
  },
  rx('src/merchant-api/antom-exception.filter.ts', r`/^\/(ams\/(sandbox\/)?api\/)?v1\//`, 'request path of an unknown route', LIMITS.headers, ANCHORED, rep('/'), rep('a', '', '/ams/api/')),
  rx('src/platform/health/health.controller.ts', r`/^Bearer\s+(\S+)\s*$/i`, 'Authorization header on /metrics', LIMITS.headers, 'anchored; \\s and \\S are disjoint, so each character has one reading (recheck: linear)', rep('a ', 'x', 'Bearer '), rep(' ', '\u0001', 'Bearer')),
  rx('src/pci/card-collection/collect/collect-page.controller.ts', r`/^application\/json\b/i`, 'Content-Type of a card submission', LIMITS.headers, ANCHORED, rep('a', '', 'application/json')),
  rx('src/pci/card-collection/collect/collect-session.service.ts', r`/^cs_[A-Za-z0-9_-]{32}$/`, 'hosted card page session id (URL path)', LIMITS.headers, ANCHORED, rep('a', '', 'cs_')),

  // ---- Merchant API: request bodies (after the signature) ----
  {
    what: 'JSON.parse, jsonShapeProblem, dropNullMembers (merchant-auth.guard.ts parseJson)', input: 'merchant request body', limit: LIMITS.body,
    why: 'JSON.parse is linear; the walks are iterative and stop at 10,000 values or depth 32; UNSTORABLE: three alternatives of one character with one-character lookarounds (recheck: safe)',
    covers: { 'src/antom/requests/json-shape.ts': [r`/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/`] },
    attacks: [
      { name: 'one string of surrogate pairs (4 bytes each)', make: (n) => `{"a":"${'\uD83D\uDE00'.repeat(n / 4)}"}` },
      { name: 'an array of n/2 numbers', make: (n) => `[${'0,'.repeat(n / 2 - 1)}0]` },
      { name: 'objects nested n/5 deep', make: (n) => `${'{"a":'.repeat(n / 5)}1${'}'.repeat(n / 5)}` },
      { name: '9,999 null members with long names', make: (n) => `{${Array.from({ length: 9999 }, (_, i) => `"${i}${'k'.repeat(n / 10_000)}":null`).join(',')}}` },
    ],
    run: (text) => {
      const v = quietly(() => JSON.parse(text));
      return jsonShapeProblem(v) ?? dropNullMembers(v);
    },
  },
  {
    what: 'validateBody: class-validator on every pattern-checked field (requests/*.dto.ts, antom-scalars.ts)', input: 'merchant request body fields', limit: LIMITS.body,
    why: 'every validator runs, @MaxLength failing or not: @Matches patterns are anchored with bounded quantifiers; @IsUrl refuses over 2,084 characters before parsing',
    covers: {
      'src/antom/requests/common.dto.ts': [r`/^(0|[1-9]\d{0,17})$/`, r`/^[A-Z]{3}$/`],
      'src/antom/requests/antom-scalars.ts': [r`/^[+-]?\d{1,15}$/`, r`/^(0|[1-9]\d{0,8})$/`],
      'src/antom/requests/pay.dto.ts': [r`/^[A-Z]{2}$/`],
      'src/antom/requests/card-info.dto.ts': [r`/^\d{6,8}$/`, r`/^[A-Z]{2}$/`],
    },
    attacks: [rep('1'), rep('A'), rep('a.', '', 'https://'), rep('1', '', '-')],
    run: (s) => {
      const env = { colorDepth: s, screenHeight: s, screenWidth: s, timeZoneOffset: s, deviceId: s };
      const pay = { productCode: 'CASHIER_PAYMENT', paymentRequestId: s, order: { orderDescription: s }, paymentAmount: { currency: s, value: s }, paymentMethod: { paymentMethodType: s }, env, paymentRedirectUrl: s, paymentNotifyUrl: s, merchantRegion: s, userRegion: s };
      return Promise.all([validateBody(PayRequestDto, pay), validateBody(GetCardInfoRequestDto, { cardBin: s, paymentMethodRegion: s })].map((p) => p.catch(() => undefined)));
    },
  },
  rx('src/antom/requests/antom-scalars.ts', r`/^-?(0|[1-9]\d{0,8})$/`, 'a signed integer field (AntomIntegerString({ signed: true }))', LIMITS.body, ANCHORED, rep('1', '', '-')),
  {
    what: 'refuseCardNumbersInFreeText (antom/requests/card-number-fields.ts)', input: 'every free-text field and key of a merchant request', limit: LIMITS.body,
    why: 'one walk over the body (10,000 values at most); each string and key scanned by containsCardNumber, and once more URL-decoded when it holds % or + (measured: 10 MiB of "+4" in 3.6 s, linear)',
    covers: { 'src/antom/requests/card-number-fields.ts': [r`/[%+]/`, r`/phone/i`, r`/\+/g`, r`/%(20|2[dD])/g`] },
    attacks: [...CARD_TEXT, rep('%2'), rep('+4')],
    // One body of n characters: half a nested free-text value, half a field name.
    run: (s) => quietly(() => refuseCardNumbersInFreeText({ order: { goods: [{ goodsName: s.slice(0, s.length / 2) }] }, [s.slice(s.length / 2)]: 1 })),
  },
  {
    what: 'containsCardNumber, replaceCardNumbers (antom/pan-runs.ts), scrubDeep (platform/logging/redaction.ts)', input: 'merchant free text, console user names, every value the gateway logs', limit: LIMITS.body,
    why: 'RUN = \\d(?:[ -]?\\d)*: each step reads one digit, with or without one separator (recheck: linear); UUID: fixed length per start; each run split and checked once',
    covers: { 'src/antom/pan-runs.ts': [r`/\d(?:[ -]?\d)*/g`, r`/^(222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/`, r`/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi`, r`/[A-Za-z0-9]/`, r`/[ -]/g`, r`/[ -]/`, r`/\d+/g`] },
    attacks: [...CARD_TEXT, { ...rep('2720123412341234-'), known: LONG_RUN }],
    // scrubDeep scrubs with replaceCardNumbers, before it cuts the value to 2 KB.
    run: (s) => [containsCardNumber(s), containsCardNumber(s, { bounded: true }), scrubDeep({ v: [s] })],
  },
  {
    what: 'checkDefenseDocument: the Base64 check (antom/defense-document.ts)', input: 'supplyDefenseDocument disputeEvidence; the console upload, Base64-encoded', limit: LIMITS.evidence,
    why: 'BASE64: groups of exactly four, then an optional padded tail: giving back a group costs one step (recheck: linear)',
    covers: { 'src/antom/defense-document.ts': [r`/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/`] },
    attacks: [rep('A', '!'), rep('AAAA', 'A='), rep('A', '===')],
    run: (s) => checkDefenseDocument(s, LIMITS.document.bytes),
  },
  {
    what: 'checkDefenseDocument: a PDF of near-card digit runs (antom/defense-document.ts)', input: 'a defence document', limit: LIMITS.document,
    why: 'no markup: containsCardNumber over the raw bytes once (linear)', covers: {},
    attacks: [
      { name: '750,000 bytes of Luhn-failing 16-digit runs', make: (n) => pdf('4111111111111112 '.repeat(n / 17 - 1)) },
      { name: 'a PDF stream inflating to 16 MiB of digits', make: () => pdf('1'.repeat(16 * MiB - KiB), true), known: LONG_RUN },
    ],
    run: (s) => checkDefenseDocument(s, LIMITS.document.bytes), exact: true,
  },
  {
    what: 'checkDefenseDocument: markup stripped by /<[^>]*>/g (antom/defense-document.ts holdsCard)', input: 'a defence document, raw and every inflated PDF stream', limit: LIMITS.document,
    why: 'QUADRATIC: [^>]* rescans to the end of the text from every "<" (recheck: polynomial, attack "<"×n): 750,000 "<" is ~2.8·10^11 steps, 16 MiB inflated far more',
    covers: { 'src/antom/defense-document.ts': [r`/<[^>]*>/g`, r`/\s+/g`] },
    attacks: [
      { name: 'a PDF of 750,000 "<"', make: (n) => pdf('<'.repeat(n - 9)) },
      { name: 'a PDF stream inflating to 16 MiB of "<"', make: () => pdf('<'.repeat(16 * MiB - KiB), true) },
    ],
    run: (s) => checkDefenseDocument(s, LIMITS.document.bytes), exact: true,
    known: "issue 23: the lead engineer's rewrite of holdsCard (a single-pass tag scanner)",
  },
  {
    what: 'checkDefenseDocument: a zip whose directory names one stored part 8,150 times (antom/defense-document.ts zipEntries)', input: 'a defence document (.docx)', limit: LIMITS.document,
    why: 'AMPLIFIED: stored (method 0) parts are not charged to TEXT_BUDGET_BYTES and entries may share their bytes: 750 KB gives 8,150 × 375 KB = 3 GB of text (1,000 entries: 300 MB, 30 s)',
    covers: {},
    attacks: [{ name: '8,150 directory entries, one 375,000-byte stored part', make: () => zipOfOnePart(8150, 375_000) }],
    run: (s) => checkDefenseDocument(s, LIMITS.document.bytes), exact: true,
    known: "issue 23, found here: defense-document.ts is the lead engineer's; charge stored parts (and compressed input) to the budget, or refuse entries whose bytes overlap",
  },
  rx('src/operations/disputes.service.ts', r`/^gwd_[0-9a-f]{32}$/`, 'disputeId of acceptDispute, supplyDefenseDocument', LIMITS.body, ANCHORED, rep('a', '', 'gwd_')),
  {
    what: 'upstreamEnv (authorization/upstream-env.ts)', input: 'env.timeZoneOffset of a pay request', limit: LIMITS.body, why: ANCHORED,
    covers: { 'src/authorization/upstream-env.ts': [r`/^[+-]?\d{1,15}$/`] }, attacks: [rep('1'), rep('1', '', '+')],
    run: (s) => upstreamEnv({ timeZoneOffset: s }),
  },
  {
    what: 'validateCreditPayPlan (card-features/credit-pay-plan.ts)', input: 'creditPayPlan of a pay request', limit: LIMITS.body,
    why: '/^\\d+$/: one class, anchored (recheck: linear); Number() of the digits is linear', covers: { 'src/card-features/credit-pay-plan.ts': [r`/^\d+$/`] },
    attacks: [rep('1'), rep('1', '')],
    run: (s) => [{ installmentNum: s }, { filteredInstallmentPeriods: [s] }, { installmentNum: '3', feePercentage: s }].map((plan) => quietly(() => validateCreditPayPlan(plan, { region: 'JP', currency: 'JPY', brand: 'VISA' }))),
  },
  {
    what: 'checkKoreanNonAuthenticated (card-features/korean-local-card.ts)', input: 'paymentMethodMetaData of a Korean card pay request', limit: LIMITS.body, why: ANCHORED,
    covers: { 'src/card-features/korean-local-card.ts': [r`/^\d{6}$/`, r`/^\d{10}$/`, r`/^\d{2}$/`] }, attacks: [rep('1')],
    run: (s) => [{ dateOfBirth: s }, { businessNo: s }, { businessNo: '1234567890', cardPasswordDigest: s }].map((meta) => quietly(() => checkKoreanNonAuthenticated(meta))),
  },
  {
    what: 'validateCard, binOfCardNumber, checkExpiry, parseCardholderName, parseBillingAddress (pci/card-collection/validation/)', input: 'card fields: pay with a card, the hosted card page, vaultPaymentMethod', limit: LIMITS.body,
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
        ...[{ cardNo: s }, { expiryMonth: s }, { expiryYear: s }, { cvv: s }, { cardholderName: { fullName: s } }, { billingAddress: { region: 'US', city: s } }].map((f) => validateCard({ ...card, ...f } as RawCardInput, opts)),
        binOfCardNumber(s), checkExpiry(s, s, opts.now), parseCardholderName({ fullName: s }), parseBillingAddress({ region: s }),
      ];
    },
  },
  {
    what: 'vaultingCardInput (pci/card-collection/vaulting-card.ts)', input: 'field names of paymentMethodDetail.card (vaultPaymentMethod)', limit: LIMITS.body, why: ANCHORED,
    covers: { 'src/pci/card-collection/vaulting-card.ts': [r`/^[A-Za-z][A-Za-z0-9]{0,63}$/`] }, attacks: [rep('a'), rep('A1')],
    run: (s) => quietly(() => vaultingCardInput({ [s]: 'x' })),
  },
  {
    what: 'buyerEnv (pci/card-collection/collect/buyer-env.ts)', input: "the hosted page's browser fields and the buyer's headers", limit: LIMITS.body, why: ANCHORED,
    covers: { 'src/pci/card-collection/collect/buyer-env.ts': [r`/^[A-Za-z0-9-]{1,32}$/`] }, attacks: [rep('a'), rep('1')],
    run: (s) => buyerEnv({ language: s, colorDepth: s, screenHeight: s, timeZoneOffset: s }, { userAgent: s, acceptHeader: s, clientIp: s }),
  },
  {
    what: 'normalizeOrigin (pci/card-collection/collect/origins.ts)', input: "a merchant's allowed origins and a session's parent origin", limit: LIMITS.body,
    why: 'over 256 characters refused before URL parsing; the host pattern needs a "." after each label, so each character has one reading (recheck: linear)',
    covers: { 'src/pci/card-collection/collect/origins.ts': [r`/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i`, r`/\/$/`] },
    attacks: [rep('a.', '', 'https://'), rep('a', '_', 'https://'), rep('/', '', 'https://a')],
    run: (s) => [normalizeOrigin(s), normalizeOrigin(s.slice(0, 256))],
  },
  {
    what: 'escapeAttr (pci/card-collection/collect/collect-page-assets.ts)', input: "a session's redirect URL and parent origin", limit: { bytes: 2048, what: 'redirectUrl: @MaxLength(2048); a parent origin: 256' }, why: ONE_CLASS,
    covers: { 'src/pci/card-collection/collect/collect-page-assets.ts': [r`/[&<>"']/g`] }, attacks: [rep('&'), rep('a')],
    run: (s) => escapeAttr(s).length,
  },
  rx('src/pci/vault/stored-credentials.service.ts', r`/^[\x21-\x7e]{1,64}$/`, 'a stored-credential reference in a pay request', LIMITS.body, ANCHORED, rep('!')),
  rx('src/pci/vault/wire-card.ts', r`/^\d{3,4}$/`, 'cvv of a token payment', LIMITS.body, ANCHORED, rep('1')),
  rx('src/pci/vault/crypto/envelope.ts', r`/^\d+$/`, 'the card number, once validated (12–19 digits)', LIMITS.body, 'one class, anchored (recheck: linear)', rep('1'), rep('1', '')),
  rx('src/merchant-api/response-signer.ts', r`/^[\w-]{1,64}$/`, 'paymentId of a request, named in the access log', LIMITS.body, ANCHORED, rep('a')),

  // ---- Acquirer: notifications (unsigned ones are parsed too) and answers ----
  {
    what: 'parseDisputeNotice (settlement/dispute-notice.ts)', input: 'notifyDispute body', limit: LIMITS.body,
    why: 'times over 64 characters refused before the pattern; every pattern anchored with bounded quantifiers (recheck: safe)',
    covers: { 'src/settlement/dispute-notice.ts': [r`/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)$/`, r`/^[A-Z]{3}$/`, r`/^(0|[1-9]\d{0,17})$/`] },
    attacks: [rep('1'), rep(':00', 'x', '2026-01-01T00:00'), rep('A')],
    run: (s) => [{ disputeTime: s }, { disputeAmount: { currency: s, value: '1' } }, { disputeAmount: { currency: 'EUR', value: s } }].map((f) => parseDisputeNotice({ disputeId: 'd', disputeNotificationType: 'DISPUTE_CREATED', paymentId: 'p', ...f })),
  },
  rx('src/settlement/acquirer-notifications.service.ts', r`/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/`, 'request ids of a notification (signed or not)', LIMITS.body, ANCHORED, rep('a'), rep('a', '', '01234567-')),
  rx('src/settlement/dispute-notifications.service.ts', r`/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/`, 'paymentRequestId of a notifyDispute', LIMITS.body, ANCHORED, rep('a')),
  rx('src/settlement/automatic-capture.ts', r`/^\d{1,18}$/`, 'captureAmount.value of a CAPTURE_RESULT notification', LIMITS.body, ANCHORED, rep('1')),
  rx('src/settlement/reconciliation.service.ts', r`/^[0-9a-f-]{36}$/`, "an id in an acquirer's inquiry answer", LIMITS.acquirerAnswer, ANCHORED, rep('a-')),
  {
    what: 'safeMask (settlement/pay-outcome.ts)', input: "cardNo and cardBin in an acquirer's answer", limit: LIMITS.acquirerAnswer, why: ANCHORED,
    covers: { 'src/settlement/pay-outcome.ts': [r`/^[0-9*]{12,19}$/`] }, attacks: [rep('*'), rep('1')], run: (s) => safeMask(s),
  },
  rx('src/settlement/pay-outcome.ts', r`/^\d{6,8}$/`, "cardBin in an acquirer's answer", LIMITS.acquirerAnswer, ANCHORED, rep('1')),
  {
    what: 'referenceNo, dateOrNull (antom/answers.ts)', input: "acquirerReferenceNo and times in an acquirer's answer", limit: LIMITS.acquirerAnswer,
    why: 'anchored, bounded (recheck: safe); Date parsing is linear (measured: 2 MiB of digits, spaces or words in 4–35 ms)',
    covers: { 'src/antom/answers.ts': [r`/^[\x21-\x7e]{1,64}$/`] }, attacks: [rep('!'), rep('a '), rep('1')],
    run: (s) => [referenceNo(s), dateOrNull(s)],
  },
  {
    what: 'isWellFormedCode, upstreamUnknownCode (antom/result-codes.ts)', input: "resultCode in an acquirer's answer", limit: LIMITS.acquirerAnswer, why: ANCHORED,
    covers: { 'src/antom/result-codes.ts': [r`/^[A-Z][A-Z0-9_]{1,63}$/`] }, attacks: [rep('A')],
    run: (s) => [isWellFormedCode(s), upstreamUnknownCode('pay', s)],
  },
  {
    what: 'asAntomModel (payments/antom-output-types.ts)', input: "paymentResultInfo and other models in an acquirer's answer", limit: LIMITS.acquirerAnswer, why: ANCHORED,
    covers: { 'src/payments/antom-output-types.ts': [r`/^[+-]?\d{1,9}$/`] }, attacks: [rep('1'), rep('1', '', '-')],
    run: (s) => asAntomModel({ n: s, t: s, list: [s, s] }, { n: 'int', t: 'string', list: 'ints' }),
  },
  rx('src/notifications/outbox/delivery.worker.ts', r`/^[\w-]{1,64}$/`, 'an id in a notification body (from the merchant request)', LIMITS.stored, ANCHORED, rep('a')),
  rx('src/notifications/outbox/notify-target-guard.ts', r`/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i`, "the address a merchant's notify host resolves to", LIMITS.stored, 'anchored; each \\d+ ends at a literal "." (recheck: linear)', rep('1', '', '::ffff:'), rep('1.', '', '::ffff:')),
  rx('src/notifications/outbox/notify-target-guard.ts', r`/^\[|\]$/g`, "the host of a merchant's notify URL", LIMITS.stored, 'two one-character alternatives, anchored (recheck: safe)', rep('['), rep(']')),

  // ---- Console: query strings (filters) and forms ----
  {
    what: 'parseFilters, parseMaskedCard, looksLikeCardNumber (admin/payments/payment-filters.ts)', input: 'payment search query string', limit: LIMITS.headers,
    why: 'card-number scan: each start reads at most 37 characters; then values over 32–128 characters are refused before any other pattern; the rest anchored or one class (recheck: linear)',
    covers: { 'src/admin/payments/payment-filters.ts': [r`/(?<![0-9A-Za-z])\d(?:[ -]?\d){12,18}(?![0-9A-Za-z])/g`, r`/[ -]/g`, r`/[\u0000-\u001f\u007f]/`, r`/^\d{1,4}$/`, r`/^\d{4}-\d{2}-\d{2}$/`, r`/^[A-Z]{3}$/`, r`/[\s-]/g`, r`/^\d{4}$/`, r`/^\d{6,8}$/`, r`/^(\d{6,8})[*xX•.…]+(\d{4})$/`] },
    attacks: [...CARD_TEXT, rep('1'), rep('*', '1234', '411111'), rep('1 ')],
    run: (s) => [...['merchant', 'from', 'currency', 'amountMin', 'referenceOrderId', 'card', 'id', 'sort', 'page', 'status'].map((k) => parseFilters({ currency: 'EUR', [k]: s })), parseMaskedCard(s), looksLikeCardNumber(s)],
  },
  {
    what: 'readForm, readCookie (admin/http/admin-http.ts: URLSearchParams, cookie.parse)', input: 'a console form body; the Cookie header', limit: LIMITS.body,
    why: 'no regex of ours: the WHATWG form parser and cookie 1.x scan with indexOf, once (the sandbox reads its card page form the same way)', covers: {},
    attacks: [rep('&'), rep('a='), rep('%'), rep(';'), rep(' ', '=1', 'sid=')],
    run: (s) => {
      const req = (headers: Record<string, string>, body?: Buffer) => ({ headers, body }) as unknown as Parameters<typeof readForm>[0];
      return [readForm(req({ 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from(s))).get('a'), readCookie(req({ cookie: s }), 'sid')];
    },
  },
  {
    what: 'parseAmount (admin/payments/money.ts)', input: 'amount typed in a console form (refund, capture, role limit, filter)', limit: LIMITS.body,
    why: 'character check first; then counts, splits and anchored patterns over groups (recheck: linear); more than 18 digits refused before BigInt',
    covers: { 'src/admin/payments/money.ts': [r`/^[0-9.,]+$/`, r`/^[1-9]\d{0,2}$/`, r`/[.,]$/`, r`/^0+(?=\d)/`, r`/^\d{3}$/`] },
    attacks: [rep('1'), rep('1,'), rep('0', ''), rep(',234', '.5', '1'), rep('1', '', '1.')],
    run: (s) => parseAmount(s, 'EUR'),
  },
  {
    what: 'formatMinor (admin/payments/money.ts)', input: 'an amount in minor units: a PostgreSQL bigint, or parseAmount\'s result', limit: { bytes: 19, what: 'PostgreSQL bigint: 19 digits (21 written with BHD\'s 3 decimals)' },
    why: 'QUADRATIC but bounded: \\B(?=(\\d{3})+(?!\\d)) scans the rest of the digits from each position (recheck misses lookaheads): ~200 steps for 19 digits',
    covers: { 'src/admin/payments/money.ts': [r`/\B(?=(\d{3})+(?!\d))/g`] }, attacks: [{ name: 'the largest bigint', make: () => '9223372036854775807' }],
    run: (s) => ['JPY', 'EUR', 'BHD'].map((c) => [formatMinor(BigInt(s), c), formatMinor(-BigInt(s), c)]), exact: true,
  },
  {
    what: 'inMajorUnits (admin/payments/money.ts)', input: 'a lifecycle message shown on the payment page', limit: LIMITS.stored,
    why: 'starts only at a word boundary and reads at most 18 digits from it (recheck: safe)',
    covers: { 'src/admin/payments/money.ts': [r`/\b(\d{1,18}) ([A-Z]{3}) in minor units\b/g`] }, attacks: [rep('1 EUR in minor units '), rep('1 '), rep('1 EUR in minor ')],
    run: (s) => inMajorUnits(s).length,
  },
  {
    what: 'parseAuditFilters (admin/audit-log/audit-filters.ts)', input: 'audit log query string', limit: LIMITS.headers,
    why: 'card-number scan (see parseFilters), then values over 128 characters refused before the anchored patterns',
    covers: { 'src/admin/audit-log/audit-filters.ts': [r`/[\u0000-\u001f\u007f]/`, r`/^\d{1,18}$/`, r`/^\d{4}-\d{2}-\d{2}$/`] },
    attacks: [rep('1'), rep('4 '), rep('a', '\u0000')],
    run: (s) => ['actor', 'action', 'target', 'outcome', 'from', 'before'].map((k) => parseAuditFilters({ [k]: s })),
  },
  {
    what: 'isUserName (admin/auth/user-name.ts, USERNAME in admin-users.service.ts)', input: 'user name on the sign-in and user forms', limit: LIMITS.body,
    why: 'USERNAME anchored, at most 64 characters; /[a-z]/ one class; containsCardNumber linear (see pan-runs)',
    covers: { 'src/admin/auth/user-name.ts': [r`/[a-z]/`], 'src/admin/auth/admin-users.service.ts': [r`/^[a-z0-9][a-z0-9._-]{1,63}$/`] },
    attacks: [rep('a'), rep('4 '), rep('1')], run: (s) => isUserName(s),
  },
  rx('src/admin/auth/login.service.ts', r`/^\s*\d{6}\s*$/`, 'TOTP or recovery code on the sign-in form', LIMITS.body, 'anchored; \\s* and \\d{6} are disjoint (recheck: linear)', rep(' ', 'x'), rep(' ', 'x', '123456')),
  rx('src/admin/auth/totp.ts', r`/^\d{6}$/`, 'TOTP code on a console form', LIMITS.body, ANCHORED, rep('1')),
  {
    what: 'normalizeRecoveryCode (admin/auth/recovery-codes.ts)', input: 'recovery code on the sign-in form', limit: LIMITS.body, why: ONE_CLASS,
    covers: { 'src/admin/auth/recovery-codes.ts': [r`/[\s-]/g`] }, attacks: [rep(' -'), rep('A')], run: (s) => normalizeRecoveryCode(s),
  },
  {
    what: 'escapeHtml (admin/views/html.ts), csvLine (admin/export/csv.ts)', input: 'any stored text shown on a console page or exported', limit: LIMITS.stored,
    why: 'one class per match, or a pattern anchored at ^ of one character (recheck: safe)',
    covers: { 'src/admin/views/html.ts': [r`/[&<>"'${'`'}]/g`], 'src/admin/export/csv.ts': [r`/^[=+\-@\t\r]/`, r`/"/g`] },
    attacks: [rep('&"'), rep('=')], run: (s) => [escapeHtml(s).length, csvLine([s]).length],
  },
  {
    what: 'describeDetail (admin/views/timeline.view.ts)', input: "an event's stored detail (names and values from requests and notifications)", limit: LIMITS.stored,
    why: 'each pattern one or two classes per match, or anchored and bounded (recheck: safe)',
    covers: { 'src/admin/views/timeline.view.ts': [r`/([a-z])([A-Z])/g`, r`/_/g`, r`/amount|threshold|^max/i`, r`/^\d{1,19}$/`] },
    attacks: [rep('aB_'), rep('1'), rep('amoun')],
    // One detail of n characters: half a field name, half its value (and an amount).
    run: (s) => [describeDetail({ [s.slice(0, s.length / 2)]: s.slice(s.length / 2) }, 'EUR').length, describeDetail({ amount: s, [`max${s.slice(0, 64)}`]: '1' }, 'EUR').length],
  },
  rx('src/admin/views/timeline.view.ts', r`/^admin:/`, "an audit row's actor (admin:<user name>)", LIMITS.stored, ANCHORED, rep('admin:')),
  rx('src/admin/actions/approvals.service.ts', r`/^[0-9a-f-]{36}$/`, 'approval id on a console form', LIMITS.body, ANCHORED, rep('a')),
  rx('src/admin/payments/notifications.service.ts', r`/^[0-9a-f-]{36}$/`, 'notification id on a console form', LIMITS.body, ANCHORED, rep('a')),
  rx('src/admin/actions/action-results.service.ts', r`/^\d{1,18}$/`, 'action ids in the query string; amounts in stored details', LIMITS.body, ANCHORED, rep('1')),
  rx('src/admin/actions/payment-actions.service.ts', r`/^adm_cap_[0-9a-f]{32}$/`, 'request id on a capture form', LIMITS.body, ANCHORED, rep('a', '', 'adm_cap_')),
  rx('src/admin/actions/payment-actions.service.ts', r`/^adm_ref_[0-9a-f]{32}$/`, 'request id on a refund form', LIMITS.body, ANCHORED, rep('a', '', 'adm_ref_')),
  rx('src/admin/actions/payment-actions.service.ts', r`/^adm_dsp_[0-9a-f]{32}$/`, 'request id on a dispute form', LIMITS.body, ANCHORED, rep('a', '', 'adm_dsp_')),
  rx('src/admin/controllers/payments.controller.ts', r`/^\d{1,18}$/`, 'amounts and bulk items on console forms', LIMITS.body, ANCHORED, rep('1')),
  rx('src/admin/controllers/payments.controller.ts', r`/^[A-Za-z0-9_-]{1,64}$/`, 'payment id in a console URL', LIMITS.headers, ANCHORED, rep('a')),
  rx('src/admin/controllers/users.controller.ts', r`/^[0-9a-f]{32}$/`, 'session id on the users form', LIMITS.body, ANCHORED, rep('a')),
  rx('src/admin/controllers/users.controller.ts', r`/^\d{1,18}$/`, 'audit entry number in the query string', LIMITS.headers, ANCHORED, rep('1')),
  rx('src/admin/controllers/users.controller.ts', r`/^[0-9a-f-]{36}$/`, 'user id in a console URL', LIMITS.headers, ANCHORED, rep('a')),
  rx('src/admin/controllers/users.controller.ts', r`/^([A-Z]{3}|\*)$/`, 'currency on the role form', LIMITS.body, ANCHORED, rep('A')),
  rx('src/admin/views/disputes.view.ts', r`/^[A-Za-z0-9_.-]{1,64}$/`, 'merchant filter of the disputes page', LIMITS.headers, ANCHORED, rep('a')),
  rx('src/admin/payments/admin-payments.repository.ts', r`/[\\%_]/g`, 'search values (at most 128 characters after parseFilters)', LIMITS.headers, ONE_CLASS, rep('%'), rep('a')),

  // ---- Files and arguments from outside: BIN table, merchant key files, CLI ----
  {
    what: 'parseBinTable (card-features/bin-table.ts)', input: "the BIN table CSV (the operator's copy of a BIN feed)", limit: LIMITS.binTable,
    why: 'one split into lines, one split per line; /\\r?\\n/ and /\\s/g one step per character; cells anchored and bounded (recheck: safe)',
    covers: { 'src/card-features/bin-table.ts': [r`/\r?\n/`, r`/\s/g`, r`/^\d{4,8}$/`, r`/^[A-Z][A-Z0-9_]{1,31}$/`, r`/^[A-Z]{2}$/`] },
    attacks: [rep('\r'), rep(' '), rep(','), rep('1,', '', 'bin,brand,funding,card_category,issuing_country\n'), rep('1', ',VISA,,,', 'bin,brand,funding,card_category,issuing_country\n'), rep('A', ',,,US', 'bin,brand,funding,card_category,issuing_country\n4111,')],
    run: (s) => quietly(() => parseBinTable(s)),
  },
  {
    what: 'parsePublicKey (merchants/merchant-input.ts, antom/keys.ts)', input: "a merchant's public key file", limit: LIMITS.keyFile,
    why: "quote strip anchored at both ends (one backtrack from the end); the others one class per match (recheck: linear); then OpenSSL's parser",
    covers: { 'src/antom/keys.ts': [r`/^(['"])([\s\S]*)\1$/`, r`/\\r\\n|\\n/g`, r`/\s+/g`, r`/^[A-Za-z0-9+/]+={0,2}$/`] },
    attacks: [rep(' ', 'x', '"'), rep('\\n'), rep('A', '!'), rep('A', '', '-----BEGIN PUBLIC KEY-----\n')],
    run: (s) => quietly(() => parsePublicKey(s)),
  },
  {
    what: 'keyFingerprint (merchants/merchant-input.ts)', input: 'a SHA-256 digest in Base64', limit: { bytes: 44, what: 'always 44 characters' },
    why: 'QUADRATIC shape (=+$ is retried from every "="; recheck: polynomial) on a fixed 44-character digest: bounded by construction',
    covers: { 'src/merchants/merchant-input.ts': [r`/=+$/`] }, attacks: [{ name: "a real key's fingerprint", make: () => pem() }],
    run: (s) => keyFingerprint(s), exact: true,
  },
  {
    what: 'parseClientId, parseName, parseNotifyUrl (merchants/merchant-input.ts)', input: 'merchant CLI arguments', limit: LIMITS.cliArgument,
    why: 'client id anchored and bounded; names over 128 characters refused first; the URL parsed by WHATWG URL, its host stripped of brackets (recheck: safe)',
    covers: { 'src/merchants/merchant-input.ts': [r`/^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/`, r`/[\p{Cc}\p{Cf}]/u`, r`/^\[|\]$/g`] },
    attacks: [rep('a'), rep('a', '', 'https://'), rep('a', '\u0000')],
    run: (s) => [quietly(() => parseClientId(s)), quietly(() => parseName(s)), quietly(() => parseNotifyUrl(s, false)), quietly(() => parseNotifyUrl(`https://${s}.example/`, false))],
  },
  {
    what: 'runMerchantCli: the error printed on one line (merchants/cli/merchant-cli.ts oneLine)', input: 'merchant CLI arguments, quoted in its errors', limit: LIMITS.cliArgument,
    why: 'FIXED (was /\\s*\\n\\s*/g, quadratic on a run of spaces: 32 KiB took 1.9 s): /\\s+/g consumes each run once',
    covers: { 'src/merchants/cli/merchant-cli.ts': [r`/\s+/g`] }, attacks: [rep(' '), rep('\t'), rep(' ', '\n')],
    run: (s) => runMerchantCli(['list', s], {}, () => undefined, () => undefined),
  },
  rx('src/merchants/cli/merchant-cli.ts', r`/^\d{1,9}$/`, '--key-version argument', LIMITS.cliArgument, ANCHORED, rep('1')),

  // ---- Sandbox (a separate server; its bodies come from whoever can reach it) ----
  rx('sandbox/card-decision.ts', r`/^\d{6}$/`, 'dateOfBirth of a Korean card pay request', LIMITS.sandboxBody, ANCHORED, rep('1')),
  rx('sandbox/card-decision.ts', r`/^\d{10}$/`, 'businessNo of a Korean card pay request', LIMITS.sandboxBody, ANCHORED, rep('1')),
  rx('sandbox/card-decision.ts', r`/^\d{2}$/`, 'cardPasswordDigest of a Korean card pay request', LIMITS.sandboxBody, ANCHORED, rep('1')),
  rx('sandbox/card-decision.ts', r`/^\d+$/`, 'paymentAmount.value of a pay request', LIMITS.sandboxBody, 'one class, anchored (recheck: linear)', rep('1'), rep('1', '')),
  {
    what: 'brandOf (sandbox/test-cards.ts)', input: 'cardNo of a sandbox payment (12–19 digits, checked first)', limit: LIMITS.sandboxBody, why: 'prefixes anchored at ^: a few characters read',
    covers: { 'sandbox/test-cards.ts': [r`/^4/`, r`/^(5[1-5]|2[2-7])/`, r`/^3[47]/`, r`/^35/`, r`/^(30|36|38)/`, r`/^(6011|65)/`, r`/^62/`] }, attacks: [rep('9'), rep('6')],
    run: (s) => brandOf(s),
  },
  {
    what: 'amountOf (sandbox/sandbox-context.ts)', input: 'amounts of sandbox requests', limit: LIMITS.sandboxBody, why: ANCHORED,
    covers: { 'sandbox/sandbox-context.ts': [r`/^[A-Z]{3}$/`, r`/^\d{1,20}$/`] }, attacks: [rep('1'), rep('A')],
    run: (s) => [quietly(() => amountOf({ currency: s, value: '1' }, 'a')), quietly(() => amountOf({ currency: 'EUR', value: s }, 'a'))],
  },
  rx('sandbox/pages.ts', r`/\D/g`, 'cardNo typed on the sandbox card page', LIMITS.sandboxBody, ONE_CLASS, rep('a'), rep('1')),
  rx('sandbox/pages.ts', r`/^\d{12,19}$/`, 'cardNo typed on the sandbox card page', LIMITS.sandboxBody, ANCHORED, rep('1')),
  rx('sandbox/pages.ts', r`/[&<>"']/g`, 'values shown on sandbox pages', LIMITS.sandboxBody, ONE_CLASS, rep('&')),
  rx('sandbox/pay.ts', r`/^\d{12,19}$/`, 'cardNo of a sandbox pay request', LIMITS.sandboxBody, ANCHORED, rep('1')),
  rx('sandbox/disputes.ts', r`/^[A-Za-z0-9+/]+={0,2}$/`, 'disputeEvidence of a sandbox request (over 1,000,000 characters refused first)', LIMITS.evidence, 'one class then ={0,2}, anchored (recheck: linear)', rep('A'), rep('A', '===')),
];

/**
 * Regexes no outsider's input reaches: the operator's configuration, what the gateway itself generated,
 * or text of fixed shape. `regexes` omitted: every one in the file.
 */
export const TRUSTED: Array<{ file: string; regexes?: string[]; why: string }> = [
  { file: 'src/config/gateway-config.ts', why: "the operator's environment, read once at start-up" },
  { file: 'sandbox/sandbox-settings.ts', why: "the operator's environment, read once at start-up" },
  { file: 'src/admin/admin-settings.ts', why: "the operator's environment, read once at start-up" },
  { file: 'src/pci/vault/crypto/env-keyring-source.ts', why: "the operator's key ring (environment)" },
  { file: 'src/platform/http/tls-material.ts', why: "the operator's certificate file" },
  { file: 'src/platform/database/embedded-postgres.ts', why: "PostgreSQL's own log lines and /proc/1/cmdline" },
  { file: 'src/platform/database/sql.ts', why: "the gateway's own SQL text" },
  { file: 'src/payments/disputes.repository.ts', why: "the gateway's own SQL column list" },
  { file: 'src/merchants/merchants.repository.ts', why: 'the demo merchant prefix, a constant (bootstrap/demo-merchant.ts)' },
  { file: 'src/openapi/request-schemas.ts', why: 'class names of the request DTOs' },
  { file: 'src/upstream/retry-policy.ts', why: 'an outcome reason the gateway wrote ("HTTP 503")' },
  { file: 'src/platform/metrics/metrics.service.ts', why: 'sign-in failure reasons the gateway names' },
  { file: 'src/authorization/new-payment.ts', why: 'randomUUID()' },
  { file: 'src/operations/capture.service.ts', why: 'randomUUID()' },
  { file: 'src/settlement/automatic-capture.ts', regexes: [r`/-/g`], why: 'randomUUID()' },
  { file: 'src/settlement/dispute-notifications.service.ts', regexes: [r`/-/g`], why: 'randomUUID()' },
  { file: 'src/admin/actions/payment-actions.service.ts', regexes: [r`/-/g`], why: 'randomUUID()' },
  { file: 'sandbox/sandbox-context.ts', regexes: [r`/-/g`], why: 'randomUUID()' },
  { file: 'sandbox/card-decision.ts', regexes: [r`/[^0-9]/g`], why: "the sandbox's own payment id" },
  { file: 'src/antom/request-time.ts', regexes: [r`/Z$/`], why: 'Date#toISOString()' },
  { file: 'src/admin/views/layout.ts', why: 'Date#toISOString()' },
  { file: 'src/admin/export/csv.ts', regexes: [r`/[-:]/g`], why: 'Date#toISOString()' },
  { file: 'src/admin/views/admin-pages.view.ts', why: 'a TOTP secret the gateway generated' },
  { file: 'src/admin/auth/recovery-codes.ts', regexes: [r`/.{4}/g`], why: 'a recovery code the gateway generated' },
  { file: 'src/admin/views/payments.view.ts', why: "formatMinor's output (at most 25 characters)" },
  { file: 'src/admin/controllers/payments.controller.ts', regexes: [r`/,/g`], why: "formatMinor's output (at most 25 characters)" },
  { file: 'src/merchants/merchant-input.ts', regexes: [r`/private key was supplied/`], why: "Node's own error message" },
];
