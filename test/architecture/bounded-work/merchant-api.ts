/* The merchant API: headers and request target, then request bodies (defence documents included). */
import { deflateSync } from 'node:zlib';
import { keyVersionOf } from '../../../src/merchant-api/key-version';
import { parseSignatureHeader, verify } from '../../../src/antom/signature';
import { parseRequestTime } from '../../../src/antom/request-time';
import { originForm } from '../../../src/antom/origin-form';
import { jsonShapeProblem } from '../../../src/antom/requests/json-shape';
import { dropNullMembers } from '../../../src/antom/requests/absent-nulls';
import { validateBody } from '../../../src/antom/requests/common.dto';
import { PayRequestDto } from '../../../src/antom/requests/pay.dto';
import { GetCardInfoRequestDto } from '../../../src/antom/requests/card-info.dto';
import { ConsultRequestDto } from '../../../src/antom/requests/consult.dto';
import { refuseCardNumbersInFreeText } from '../../../src/antom/requests/card-number-fields';
import { containsCardNumber } from '../../../src/antom/pan-runs';
import { scrubDeep } from '../../../src/platform/logging/redaction';
import { checkDefenseDocument } from '../../../src/antom/defense-document';
import { upstreamEnv } from '../../../src/authorization/upstream-env';
import { validateCreditPayPlan } from '../../../src/card-features/credit-pay-plan';
import { checkKoreanNonAuthenticated } from '../../../src/card-features/korean-local-card';
import { RawCardInput, validateCard } from '../../../src/pci/card-collection/validation/card-validation';
import { binOfCardNumber } from '../../../src/pci/card-collection/validation/card-bin';
import { checkExpiry } from '../../../src/pci/card-collection/validation/expiry';
import { parseBillingAddress, parseCardholderName } from '../../../src/pci/card-collection/validation/holder-fields';
import { vaultingCardInput } from '../../../src/pci/card-collection/vaulting-card';
import { buyerEnv } from '../../../src/pci/card-collection/collect/buyer-env';
import { normalizeOrigin } from '../../../src/pci/card-collection/collect/origins';
import { escapeAttr } from '../../../src/pci/card-collection/collect/collect-page-assets';
import { Case, LIMITS, KiB, MiB, rep, quietly, rx, r, ANCHORED, ONE_CLASS, LONG_RUN, CARD_TEXT, publicKey } from './harness';

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


export const MERCHANT_API: Case[] = [
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
      'src/antom/requests/consult.dto.ts': [r`/^[A-Z]{2}$/`, r`/^([A-Z]{2}|GLOBAL)$/`],
    },
    attacks: [rep('1'), rep('A'), rep('a.', '', 'https://'), rep('1', '', '-')],
    run: (s) => {
      const env = { colorDepth: s, screenHeight: s, screenWidth: s, timeZoneOffset: s, deviceId: s };
      const pay = { productCode: 'CASHIER_PAYMENT', paymentRequestId: s, order: { orderDescription: s }, paymentAmount: { currency: s, value: s }, paymentMethod: { paymentMethodType: s }, env, paymentRedirectUrl: s, paymentNotifyUrl: s, merchantRegion: s, userRegion: s };
      const consult = { productCode: 'CASHIER_PAYMENT', paymentAmount: { currency: 'EUR', value: '1' }, userRegion: s, merchantRegion: s, allowedPaymentMethodRegions: [s] };
      return Promise.all([validateBody(PayRequestDto, pay), validateBody(GetCardInfoRequestDto, { cardBin: s, paymentMethodRegion: s }), validateBody(ConsultRequestDto, consult)].map((p) => p.catch(() => undefined)));
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
];
