/* The console: query strings (filters), forms, and stored text it shows. */
import { parseAuditFilters } from '../../../src/admin/audit-log/audit-filters';
import { claimantKeys } from '../../../src/admin/auth/hash-slots';
import { normalizeRecoveryCode } from '../../../src/admin/auth/recovery-codes';
import { isUserName } from '../../../src/admin/auth/user-name';
import { csvLine } from '../../../src/admin/export/csv';
import { readCookie, readForm } from '../../../src/admin/http/admin-http';
import { formatMinor, inMajorUnits, parseAmount } from '../../../src/admin/payments/money';
import { decodeCursor } from '../../../src/admin/payments/payment-cursor';
import { looksLikeCardNumber, parseFilters, parseMaskedCard } from '../../../src/admin/payments/payment-filters';
import { escapeHtml } from '../../../src/admin/views/html';
import { describeDetail } from '../../../src/admin/views/timeline.view';
import { ANCHORED, CARD_TEXT, Case, LIMITS, ONE_CLASS, r, rep, rx } from './harness';

export const CONSOLE: Case[] = [
  // ---- Console: query strings (filters) and forms ----
  {
    what: 'parseFilters, parseMaskedCard, looksLikeCardNumber (admin/payments/payment-filters.ts)',
    input: 'payment search query string',
    limit: LIMITS.headers,
    why: 'looksLikeCardNumber is containsCardNumber (linear: see pan-runs); then values over 32–128 characters are refused before any other pattern; the rest anchored or one class (recheck: linear)',
    covers: {
      'src/admin/payments/payment-filters.ts': [
        r`/[\u0000-\u001f\u007f]/`,
        r`/^\d{4}-\d{2}-\d{2}$/`,
        r`/^[A-Z]{3}$/`,
        r`/[\s-]/g`,
        r`/^\d{4}$/`,
        r`/^\d{6,8}$/`,
        r`/^(\d{6,8})[*xX•.…]+(\d{4})$/`,
      ],
      // The page links' keyset cursor: at most 400 characters (checked first), one class, then anchored
      // patterns over the decoded JSON's few short strings.
      'src/admin/payments/payment-cursor.ts': [
        r`/^(all|cap|rest|[A-Z]{3})$/`,
        r`/^(infinity|-?\d{1,19}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)?)$/`,
        r`/^[A-Za-z0-9_-]+$/`,
      ],
    },
    attacks: [...CARD_TEXT, rep('1'), rep('*', '1234', '411111'), rep('1 '), rep('A'), rep('MjAy')],
    run: (s) => [
      ...['merchant', 'from', 'currency', 'amountMin', 'referenceOrderId', 'card', 'id', 'sort', 'after', 'before', 'status'].map((k) =>
        parseFilters({ currency: 'EUR', [k]: s }),
      ),
      parseMaskedCard(s),
      looksLikeCardNumber(s),
      decodeCursor(s),
      decodeCursor(Buffer.from(JSON.stringify(['all', s.slice(0, 150), s.slice(150, 300)])).toString('base64url')),
    ],
  },
  {
    what: 'readForm, readCookie (admin/http/admin-http.ts: URLSearchParams, cookie.parse)',
    input: 'a console form body; the Cookie header',
    limit: LIMITS.body,
    why: 'no regex of ours: the WHATWG form parser and cookie 1.x scan with indexOf, once (the sandbox reads its card page form the same way)',
    covers: {},
    attacks: [rep('&'), rep('a='), rep('%'), rep(';'), rep(' ', '=1', 'sid=')],
    run: (s) => {
      const req = (headers: Record<string, string>, body?: Buffer) => ({ headers, body }) as unknown as Parameters<typeof readForm>[0];
      return [readForm(req({ 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from(s))).get('a'), readCookie(req({ cookie: s }), 'sid')];
    },
  },
  {
    what: 'parseAmount (admin/payments/money.ts)',
    input: 'amount typed in a console form (refund, capture, role limit, filter)',
    limit: LIMITS.body,
    why: 'character check first; then counts, splits and anchored patterns over groups (recheck: linear); more than 18 digits refused before BigInt',
    covers: { 'src/admin/payments/money.ts': [r`/^[0-9.,]+$/`, r`/^[1-9]\d{0,2}$/`, r`/[.,]$/`, r`/^0+(?=\d)/`, r`/^\d{3}$/`] },
    attacks: [rep('1'), rep('1,'), rep('0', ''), rep(',234', '.5', '1'), rep('1', '', '1.')],
    run: (s) => parseAmount(s, 'EUR'),
  },
  {
    what: 'formatMinor (admin/payments/money.ts)',
    input: "an amount in minor units: a PostgreSQL bigint, or parseAmount's result",
    limit: { bytes: 19, what: "PostgreSQL bigint: 19 digits (21 written with BHD's 3 decimals)" },
    why: 'QUADRATIC but bounded: \\B(?=(\\d{3})+(?!\\d)) scans the rest of the digits from each position (recheck misses lookaheads): ~200 steps for 19 digits',
    covers: { 'src/admin/payments/money.ts': [r`/\B(?=(\d{3})+(?!\d))/g`] },
    attacks: [{ name: 'the largest bigint', make: () => '9223372036854775807' }],
    run: (s) => ['JPY', 'EUR', 'BHD'].map((c) => [formatMinor(BigInt(s), c), formatMinor(-BigInt(s), c)]),
    exact: true,
  },
  {
    what: 'inMajorUnits (admin/payments/money.ts)',
    input: 'a lifecycle message shown on the payment page',
    limit: LIMITS.stored,
    why: 'starts only at a word boundary and reads at most 18 digits from it (recheck: safe)',
    covers: { 'src/admin/payments/money.ts': [r`/\b(\d{1,18}) ([A-Z]{3}) in minor units\b/g`] },
    attacks: [rep('1 EUR in minor units '), rep('1 '), rep('1 EUR in minor ')],
    run: (s) => inMajorUnits(s).length,
  },
  {
    what: 'parseAuditFilters (admin/audit-log/audit-filters.ts)',
    input: 'audit log query string',
    limit: LIMITS.headers,
    why: 'card-number scan (see parseFilters), then values over 128 characters refused before the anchored patterns',
    covers: { 'src/admin/audit-log/audit-filters.ts': [r`/[\u0000-\u001f\u007f]/`, r`/^\d{1,18}$/`, r`/^\d{4}-\d{2}-\d{2}$/`] },
    attacks: [rep('1'), rep('4 '), rep('a', '\u0000')],
    run: (s) => ['actor', 'action', 'target', 'outcome', 'from', 'before'].map((k) => parseAuditFilters({ [k]: s })),
  },
  {
    what: 'isUserName (admin/auth/user-name.ts, USERNAME in admin-users.service.ts)',
    input: 'user name on the sign-in and user forms',
    limit: LIMITS.body,
    why: 'USERNAME anchored, at most 64 characters; /[a-z]/ one class; containsCardNumber linear (see pan-runs)',
    covers: { 'src/admin/auth/user-name.ts': [r`/[a-z]/`], 'src/admin/auth/admin-users.service.ts': [r`/^[a-z0-9][a-z0-9._-]{1,63}$/`] },
    attacks: [rep('a'), rep('4 '), rep('1')],
    run: (s) => isUserName(s),
  },
  {
    what: 'claimantKeys (admin/auth/hash-slots.ts), the keys of the fair sign-in queue (fair-slots.ts)',
    input:
      'the client address of a sign-in (the socket, or X-Forwarded-For when TRUST_PROXY trusts the proxy) and the user name (a valid one: 64 characters)',
    limit: LIMITS.headers,
    why: 'the mapped form anchored, each \\d+ ended by a literal "." (recheck: linear); the /64 only for what isIPv6 accepts (45 characters, a zone aside), /^0+(?=.)/ anchored on each of its four groups; fair-slots.ts parses nothing: the keys are Map keys, two per claim',
    covers: { 'src/admin/auth/hash-slots.ts': [r`/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i`, r`/^0+(?=.)/`] },
    attacks: [rep('1.', '', '::ffff:'), rep('1', 'x', '::ffff:1.1.1.'), rep('0'), rep('0:'), rep('a', '', 'fe80::1%'), rep('0', '', '::')],
    run: (s) => [claimantKeys({ address: s, name: s }), claimantKeys({ address: `0000:0000:0000:0000::1%${s}` })],
  },
  rx(
    'src/admin/auth/login.service.ts',
    r`/^\s*\d{6}\s*$/`,
    'TOTP or recovery code on the sign-in form',
    LIMITS.body,
    'anchored; \\s* and \\d{6} are disjoint (recheck: linear)',
    rep(' ', 'x'),
    rep(' ', 'x', '123456'),
  ),
  rx('src/admin/auth/totp.ts', r`/^\d{6}$/`, 'TOTP code on a console form', LIMITS.body, ANCHORED, rep('1')),
  {
    what: 'normalizeRecoveryCode (admin/auth/recovery-codes.ts)',
    input: 'recovery code on the sign-in form',
    limit: LIMITS.body,
    why: ONE_CLASS,
    covers: { 'src/admin/auth/recovery-codes.ts': [r`/[\s-]/g`] },
    attacks: [rep(' -'), rep('A')],
    run: (s) => normalizeRecoveryCode(s),
  },
  {
    what: 'escapeHtml (admin/views/html.ts), csvLine (admin/export/csv.ts)',
    input: 'any stored text shown on a console page or exported',
    limit: LIMITS.stored,
    why: 'one class per match, or a pattern anchored at ^ of one character (recheck: safe)',
    covers: { 'src/admin/views/html.ts': [r`/[&<>"'${'`'}]/g`], 'src/admin/export/csv.ts': [r`/^[=+\-@\t\r]/`, r`/"/g`] },
    attacks: [rep('&"'), rep('=')],
    run: (s) => [escapeHtml(s).length, csvLine([s]).length],
  },
  {
    what: 'describeDetail (admin/views/timeline.view.ts)',
    input: "an event's stored detail (names and values from requests and notifications)",
    limit: LIMITS.stored,
    why: 'each pattern one or two classes per match, or anchored and bounded (recheck: safe)',
    covers: { 'src/admin/views/timeline.view.ts': [r`/([a-z])([A-Z])/g`, r`/_/g`, r`/amount|threshold|^max/i`, r`/^\d{1,19}$/`] },
    attacks: [rep('aB_'), rep('1'), rep('amoun')],
    // One detail of n characters: half a field name, half its value (and an amount).
    run: (s) => [
      describeDetail({ [s.slice(0, s.length / 2)]: s.slice(s.length / 2) }, 'EUR').length,
      describeDetail({ amount: s, [`max${s.slice(0, 64)}`]: '1' }, 'EUR').length,
    ],
  },
  rx('src/admin/views/timeline.view.ts', r`/^admin:/`, "an audit row's actor (admin:<user name>)", LIMITS.stored, ANCHORED, rep('admin:')),
  rx('src/admin/actions/approvals.service.ts', r`/^[0-9a-f-]{36}$/`, 'approval id on a console form', LIMITS.body, ANCHORED, rep('a')),
  rx('src/admin/payments/notifications.service.ts', r`/^[0-9a-f-]{36}$/`, 'notification id on a console form', LIMITS.body, ANCHORED, rep('a')),
  rx(
    'src/admin/actions/action-results.service.ts',
    r`/^\d{1,18}$/`,
    'action ids in the query string; amounts in stored details',
    LIMITS.body,
    ANCHORED,
    rep('1'),
  ),
  rx(
    'src/admin/actions/payment-actions.service.ts',
    r`/^adm_cap_[0-9a-f]{32}$/`,
    'request id on a capture form',
    LIMITS.body,
    ANCHORED,
    rep('a', '', 'adm_cap_'),
  ),
  rx(
    'src/admin/actions/payment-actions.service.ts',
    r`/^adm_ref_[0-9a-f]{32}$/`,
    'request id on a refund form',
    LIMITS.body,
    ANCHORED,
    rep('a', '', 'adm_ref_'),
  ),
  rx(
    'src/admin/actions/payment-actions.service.ts',
    r`/^adm_dsp_[0-9a-f]{32}$/`,
    'request id on a dispute form',
    LIMITS.body,
    ANCHORED,
    rep('a', '', 'adm_dsp_'),
  ),
  rx('src/admin/controllers/payments.controller.ts', r`/^\d{1,18}$/`, 'amounts and bulk items on console forms', LIMITS.body, ANCHORED, rep('1')),
  rx('src/admin/controllers/payments.controller.ts', r`/^[A-Za-z0-9_-]{1,64}$/`, 'payment id in a console URL', LIMITS.headers, ANCHORED, rep('a')),
  rx('src/admin/controllers/notifications.controller.ts', r`/^\d{1,18}$/`, 'audit entry number in a console URL', LIMITS.headers, ANCHORED, rep('1')),
  rx(
    'src/admin/payments/failing-notifications.service.ts',
    r`/^(\d{1,18})_([0-9a-f-]{36})$/`,
    'page cursor in the query string',
    LIMITS.headers,
    ANCHORED,
    rep('1'),
    rep('a', '', '1_'),
  ),
  rx(
    'src/admin/payments/failing-notifications.service.ts',
    r`/^[0-9a-f-]{36}$/`,
    'notification id in a console URL',
    LIMITS.headers,
    ANCHORED,
    rep('a'),
  ),
  rx('src/admin/controllers/users.controller.ts', r`/^[0-9a-f]{32}$/`, 'session id on the users form', LIMITS.body, ANCHORED, rep('a')),
  rx('src/admin/controllers/users.controller.ts', r`/^\d{1,18}$/`, 'audit entry number in the query string', LIMITS.headers, ANCHORED, rep('1')),
  rx('src/admin/controllers/users.controller.ts', r`/^[0-9a-f-]{36}$/`, 'user id in a console URL', LIMITS.headers, ANCHORED, rep('a')),
  rx('src/admin/controllers/users.controller.ts', r`/^([A-Z]{3}|\*)$/`, 'currency on the role form', LIMITS.body, ANCHORED, rep('A')),
  rx('src/admin/views/disputes.view.ts', r`/^[A-Za-z0-9_.-]{1,64}$/`, 'merchant filter of the disputes page', LIMITS.headers, ANCHORED, rep('a')),
  rx(
    'src/admin/payments/admin-payments.repository.ts',
    r`/[\\%_]/g`,
    'search values (at most 128 characters after parseFilters)',
    LIMITS.headers,
    ONE_CLASS,
    rep('%'),
    rep('a'),
  ),
];
