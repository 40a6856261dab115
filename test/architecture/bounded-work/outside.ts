/* Files and arguments from outside (BIN table, key files, CLI) and the sandbox. */
import { amountOf } from '../../../sandbox/sandbox-context';
import { brandOf } from '../../../sandbox/test-cards';
import { parseBinTable } from '../../../src/card-features/bin-table';
import { runMerchantCli } from '../../../src/merchants/cli/merchant-cli';
import { keyFingerprint, parseClientId, parseName, parseNotifyUrl, parsePublicKey } from '../../../src/merchants/merchant-input';
import { ANCHORED, Case, LIMITS, ONE_CLASS, pem, quietly, r, rep, rx } from './harness';

export const OUTSIDE: Case[] = [
  // ---- Files and arguments from outside: BIN table, merchant key files, CLI ----
  {
    what: 'parseBinTable (card-features/bin-table.ts)',
    input: "the BIN table CSV (the operator's copy of a BIN feed)",
    limit: LIMITS.binTable,
    why: 'one split into lines, one split per line; /\\r?\\n/ and /\\s/g one step per character; cells anchored and bounded (recheck: safe)',
    covers: { 'src/card-features/bin-table.ts': [r`/\r?\n/`, r`/\s/g`, r`/^\d{4,8}$/`, r`/^[A-Z][A-Z0-9_]{1,31}$/`, r`/^[A-Z]{2}$/`] },
    attacks: [
      rep('\r'),
      rep(' '),
      rep(','),
      rep('1,', '', 'bin,brand,funding,card_category,issuing_country\n'),
      rep('1', ',VISA,,,', 'bin,brand,funding,card_category,issuing_country\n'),
      rep('A', ',,,US', 'bin,brand,funding,card_category,issuing_country\n4111,'),
    ],
    run: (s) => quietly(() => parseBinTable(s)),
  },
  {
    what: 'parsePublicKey (merchants/merchant-input.ts, antom/keys.ts)',
    input: "a merchant's public key file",
    limit: LIMITS.keyFile,
    why: "quote strip anchored at both ends (one backtrack from the end); the others one class per match (recheck: linear); then OpenSSL's parser",
    covers: { 'src/antom/keys.ts': [r`/^(['"])([\s\S]*)\1$/`, r`/\\r\\n|\\n/g`, r`/\s+/g`, r`/^[A-Za-z0-9+/]+={0,2}$/`] },
    attacks: [rep(' ', 'x', '"'), rep('\\n'), rep('A', '!'), rep('A', '', '-----BEGIN PUBLIC KEY-----\n')],
    run: (s) => quietly(() => parsePublicKey(s)),
  },
  {
    what: 'keyFingerprint (merchants/merchant-input.ts)',
    input: 'a SHA-256 digest in Base64',
    limit: { bytes: 44, what: 'always 44 characters' },
    why: 'QUADRATIC shape (=+$ is retried from every "="; recheck: polynomial) on a fixed 44-character digest: bounded by construction',
    covers: { 'src/merchants/merchant-input.ts': [r`/=+$/`] },
    attacks: [{ name: "a real key's fingerprint", make: () => pem() }],
    run: (s) => keyFingerprint(s),
    exact: true,
  },
  {
    what: 'parseClientId, parseName, parseNotifyUrl (merchants/merchant-input.ts)',
    input: 'merchant CLI arguments',
    limit: LIMITS.cliArgument,
    why: 'client id anchored and bounded; names over 128 characters refused first; the URL parsed by WHATWG URL, its host stripped of brackets (recheck: safe) and classified (notify-target-guard.ts, in merchant-api.ts) under the strictest and the widest NOTIFY_PRIVATE_HOSTS',
    covers: { 'src/merchants/merchant-input.ts': [r`/^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/`, r`/[\p{Cc}\p{Cf}]/u`, r`/^\[|\]$/g`] },
    attacks: [rep('a'), rep('a', '', 'https://'), rep('a', '\u0000')],
    run: (s) => [
      quietly(() => parseClientId(s)),
      quietly(() => parseName(s)),
      ...(['public', 'private'] as const).flatMap((reach) => [
        quietly(() => parseNotifyUrl(s, reach)),
        quietly(() => parseNotifyUrl(`https://${s}.example/`, reach)),
        quietly(() => parseNotifyUrl(`http://[${s}]/`, reach)),
      ]),
    ],
  },
  {
    what: 'runMerchantCli: the error printed on one line (merchants/cli/merchant-cli.ts oneLine)',
    input: 'merchant CLI arguments, quoted in its errors',
    limit: LIMITS.cliArgument,
    why: 'FIXED (was /\\s*\\n\\s*/g, quadratic on a run of spaces: 32 KiB took 1.9 s): /\\s+/g consumes each run once',
    covers: { 'src/merchants/cli/merchant-cli.ts': [r`/\s+/g`] },
    attacks: [rep(' '), rep('\t'), rep(' ', '\n')],
    run: (s) =>
      runMerchantCli(
        ['list', s],
        {},
        () => undefined,
        () => undefined,
      ),
  },
  rx('src/merchants/cli/merchant-cli.ts', r`/^\d{1,9}$/`, '--key-version argument', LIMITS.cliArgument, ANCHORED, rep('1')),

  // ---- Sandbox (a separate server; its bodies come from whoever can reach it) ----
  rx('sandbox/card-decision.ts', r`/^\d{6}$/`, 'dateOfBirth of a Korean card pay request', LIMITS.sandboxBody, ANCHORED, rep('1')),
  rx('sandbox/card-decision.ts', r`/^\d{10}$/`, 'businessNo of a Korean card pay request', LIMITS.sandboxBody, ANCHORED, rep('1')),
  rx('sandbox/card-decision.ts', r`/^\d{2}$/`, 'cardPasswordDigest of a Korean card pay request', LIMITS.sandboxBody, ANCHORED, rep('1')),
  rx(
    'sandbox/card-decision.ts',
    r`/^\d+$/`,
    'paymentAmount.value of a pay request',
    LIMITS.sandboxBody,
    'one class, anchored (recheck: linear)',
    rep('1'),
    rep('1', ''),
  ),
  {
    what: 'brandOf (sandbox/test-cards.ts)',
    input: 'cardNo of a sandbox payment (12–19 digits, checked first)',
    limit: LIMITS.sandboxBody,
    why: 'prefixes anchored at ^: a few characters read',
    covers: { 'sandbox/test-cards.ts': [r`/^4/`, r`/^(5[1-5]|2[2-7])/`, r`/^3[47]/`, r`/^35/`, r`/^(30|36|38)/`, r`/^(6011|65)/`, r`/^62/`] },
    attacks: [rep('9'), rep('6')],
    run: (s) => brandOf(s),
  },
  {
    what: 'amountOf (sandbox/sandbox-context.ts)',
    input: 'amounts of sandbox requests',
    limit: LIMITS.sandboxBody,
    why: ANCHORED,
    covers: { 'sandbox/sandbox-context.ts': [r`/^[A-Z]{3}$/`, r`/^\d{1,20}$/`] },
    attacks: [rep('1'), rep('A')],
    run: (s) => [quietly(() => amountOf({ currency: s, value: '1' }, 'a')), quietly(() => amountOf({ currency: 'EUR', value: s }, 'a'))],
  },
  rx('sandbox/pages.ts', r`/\D/g`, 'cardNo typed on the sandbox card page', LIMITS.sandboxBody, ONE_CLASS, rep('a'), rep('1')),
  rx('sandbox/pages.ts', r`/[&<>"']/g`, 'values shown on sandbox pages', LIMITS.sandboxBody, ONE_CLASS, rep('&')),
  rx(
    'sandbox/card-decision.ts',
    r`/^\d{12,19}$/`,
    'cardNo of a sandbox pay request, typed on its card page, of its getCardInfo (isCardNumber)',
    LIMITS.sandboxBody,
    ANCHORED,
    rep('1'),
  ),
  rx('sandbox/card-apis.ts', r`/^[A-Z]{2}$/`, 'paymentMethodRegion of getCardInfo, userRegion of consult', LIMITS.sandboxBody, ANCHORED, rep('A')),
  rx('sandbox/card-apis.ts', r`/^\d{6,8}$/`, 'cardBin of a sandbox getCardInfo', LIMITS.sandboxBody, ANCHORED, rep('1')),
  rx(
    'sandbox/wire-types.ts',
    r`/^[+-]?\d{1,9}$/`,
    'an int32 field of a sandbox answer (creditPayPlan.feePercentage is echoed from the pay request)',
    LIMITS.sandboxBody,
    ANCHORED,
    rep('1'),
    rep('1', '', '-'),
  ),
  rx(
    'sandbox/disputes.ts',
    r`/^[A-Za-z0-9+/]+={0,2}$/`,
    'disputeEvidence of a sandbox request (over 1,000,000 characters refused first)',
    LIMITS.evidence,
    'one class then ={0,2}, anchored (recheck: linear)',
    rep('A'),
    rep('A', '==='),
  ),
];
