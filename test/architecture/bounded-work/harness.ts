/*
 * The harness of bounded-work.spec.ts: the limits on untrusted input, the shape of a case, adversarial
 * input builders, and a way to feed one regex as written in its file.
 */
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

import { TEXT_BUDGET_BYTES } from '../../../src/antom/defense-document';
import { DISPUTE_EVIDENCE_MAX_CHARS } from '../../../src/antom/requests/dispute.dto';
import { BODY_LIMIT_BYTES_MAX } from '../../../src/config/gateway-config';
import { KEY_FILE_MAX_BYTES } from '../../../src/merchants/cli/merchant-cli';
import { regexesIn } from '../regex-literals';

export const KiB = 1024;
export const MiB = 1024 * KiB;

export interface Limit {
  bytes: number;
  what: string;
}

export const LIMITS = {
  body: {
    bytes: BODY_LIMIT_BYTES_MAX,
    what: 'a request body (merchant API, /antom/notify, hosted card page, console form): Fastify bodyLimit = BODY_LIMIT_BYTES, at most 10 MiB',
  },
  headers: { bytes: http.maxHeaderSize, what: `request line and headers together: Node's maxHeaderSize, ${http.maxHeaderSize} bytes` },
  evidence: { bytes: DISPUTE_EVIDENCE_MAX_CHARS, what: 'disputeEvidence: 1,000,000 Base64 characters (@MaxLength, checked first)' },
  document: {
    bytes: (DISPUTE_EVIDENCE_MAX_CHARS / 4) * 3,
    what: 'a defence document: 750,000 bytes decoded, and at most 16 MiB of text inflated from it (TEXT_BUDGET_BYTES)',
  },
  documentText: {
    bytes: TEXT_BUDGET_BYTES,
    what: 'the text of a defence document, every layer of which the card-number detector reads: 16 MiB decoded in all (TEXT_BUDGET_BYTES), more than any body',
  },
  acquirerAnswer: {
    bytes: 2 * MiB,
    what: "an acquirer's answer: UPSTREAM_ANSWER_LIMIT_BYTES, 2 MiB (upstream/antom-client.ts); notifications: the body limit",
  },
  stored: {
    bytes: BODY_LIMIT_BYTES_MAX,
    what: 'text the gateway stored from a checked request or notification: never longer than the body it came in',
  },
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
  /**
   * Fed this many bytes instead of the case's size, and why that still proves the bound (the super-linear
   * version already takes hours at that size, and the linear one's constant is large): keeps the spec's time down.
   */
  smaller?: { bytes: number; why: string };
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
export const quietly = (f: () => unknown) => {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw e;
    return undefined;
  }
};

/** The regex as written in the file (not a copy), compiled. */
export function regexAt(file: string, text: string): RegExp {
  const found = regexesIn({ path: file, text: fs.readFileSync(path.join(__dirname, '../../..', file), 'utf8') }).find((r) => r.text === text);
  if (!found?.regex) throw new Error(`${file} no longer holds ${text}: update test/architecture/bounded-work/`);
  return found.regex;
}

/** One regex fed directly, used the way its code uses it: scanned whole with /g, else tested. */
export function rx(file: string, text: string, input: string, limit: Limit, why: string, ...attacks: Attack[]): Case {
  let re: RegExp | undefined;
  return {
    what: `${text} (${file})`,
    input,
    limit,
    why,
    covers: { [file]: [text] },
    attacks,
    run: (s) => {
      re ??= regexAt(file, text);
      return re.global ? s.replace(re, '') : re.test(s);
    },
  };
}

/**
 * For an attack on code with no regex quantifier over an unbounded run (V8's regex backtrack stack is the one
 * limit that grows with the input): 1 MiB proves the bound, as FLOOR does, and keeps the spec near a minute on
 * a loaded machine. The inputs that can reach a size-dependent limit are fed at their full size.
 */
export const AT_FLOOR = { bytes: FLOOR, why: 'no regex run here that grows with n: quadratic work already takes hours at 1 MiB' };

export const r = String.raw;
export const ANCHORED = 'anchored at ^ with bounded quantifiers: tried at one position, for a bounded number of characters (recheck: safe)';
export const ONE_CLASS = 'one character class, scanned once per match (recheck: safe)';

let rsaPublicKey: KeyObject | undefined;
export const publicKey = () => (rsaPublicKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
let pemText: string | undefined;
export const pem = () => (pemText ??= publicKey().export({ type: 'spki', format: 'pem' }).toString());

/**
 * Card-number text: digit groups of every spacing, and numbers inside random ids. Issue 23 found the old
 * pan-runs.ts RUN regex throwing RangeError (V8's regex backtrack stack, one entry per digit) past ~8.3 million
 * digits in one run; the single-pass scanner (card-numbers/scan.ts) replaced it, so these all run.
 */
export const CARD_TEXT = [rep('4 '), rep('01234567-89ab-cdef-0123-456789abcdef4 '), rep('4111111111111112 '), rep('1')];
