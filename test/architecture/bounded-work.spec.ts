import * as vm from 'node:vm';
import { Attack, CASES, Case, FLOOR, TRUSTED } from './bounded-work/cases';
import { RegexInCode, regexesIn, regexesUnder } from './regex-literals';

/*
 * Bounded work on untrusted input (issue 23; compliance/hardening-controls.md). A card-number scan once
 * stripped tags with /<[^>]*>/g: 120,000 "<" froze the event loop for 30 s. Two checks keep that shape out:
 *
 * 1. Every regex and parser that untrusted input reaches (the table in bounded-work/) completes on
 *    adversarial input of the largest size it can receive (at least 1 MiB; less only where Attack.smaller says why). Nothing here measures speed: linear work takes milliseconds,
 *    quadratic work on the same input takes hours, and the deadline below only turns such a hang into a
 *    failure. Jest's own timeout cannot: it never interrupts synchronous code.
 *    V8's termination stops JavaScript and regex backtracking, not a native call (ICU's normalize runs to its
 *    end): such an attack is fed a size where a regression returns, late, and fails (Attack.smaller says why).
 * 2. Every regex written in src/ and sandbox/ is accounted for, by a case (1) or as TRUSTED with the
 *    reason no outsider's input reaches it. A new regex fails this spec until someone has classified it.
 */

const ROOT = process.cwd();

/** Far above any case's linear cost on a saturated machine, far below the hours a regression takes. */
const DEADLINE_MS = 30_000;

/**
 * Runs `work` under V8's termination watchdog (vm's timeout): past the deadline the running code, regex
 * backtracking included, is stopped and this throws. What `work` leaves to promises runs after it, under
 * Jest's timeout (validateBody and the CLI do their regex work before their first await).
 */
function withinDeadline(work: () => unknown, ms = DEADLINE_MS): unknown {
  try {
    return vm.runInNewContext('work()', { work }, { timeout: ms });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new Error(`still running after ${ms} ms: super-linear work on untrusted input`);
    throw e;
  }
}

const size = (c: Case, a?: Attack) => a?.smaller?.bytes ?? (c.exact ? c.limit.bytes : Math.max(c.limit.bytes, FLOOR));
const key = (file: string, text: string) => `${file} ${text}`;

const mib = (n: number) => (n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} characters`);

describe('bounded work on untrusted input', () => {
  for (const c of CASES) {
    describe(`${c.what} — ${c.input}; limit: ${c.limit.what}`, () => {
      for (const a of c.attacks) {
        const name = `${a.name}, n = ${mib(size(c, a))}${a.smaller ? ` (not the limit: ${a.smaller.why})` : ''}`;
        const known = c.known ?? a.known;
        if (known) {
          test.todo(`${name} — KNOWN, not run: ${known}`);
          continue;
        }
        test(name, async () => {
          const input = a.make(size(c, a));
          // At least the limit (in UTF-8 bytes, as the body limit counts): a smaller input would prove nothing.
          if (!c.exact) expect(Buffer.byteLength(input)).toBeGreaterThanOrEqual(size(c, a) * 0.95);
          await withinDeadline(() => c.run(input));
        });
      }
    });
  }

  test('the deadline stops a quadratic regex (so a regression fails instead of hanging)', () => {
    // 1 MiB of "<" through the old tag strip: ~5·10^11 steps. A short deadline suffices to see it stopped.
    const quadratic = /<[^>]*>/g;
    expect(() => withinDeadline(() => '<'.repeat(FLOOR).replace(quadratic, ''), 200)).toThrow(/still running after 200 ms/);
  });
});

describe('every regex in src/ and sandbox/ is accounted for', () => {
  const inCode = regexesUnder(ROOT, ['src', 'sandbox']);
  const covered = new Set(CASES.flatMap((c) => Object.entries(c.covers).flatMap(([file, texts]) => texts.map((t) => key(file, t)))));
  const trustedFiles = new Set(TRUSTED.filter((t) => !t.regexes).map((t) => t.file));
  const trusted = new Set(TRUSTED.flatMap((t) => (t.regexes ?? []).map((text) => key(t.file, text))));
  const unclassified = (found: RegexInCode[]) =>
    found.filter((r) => !covered.has(key(r.file, r.text)) && !trusted.has(key(r.file, r.text)) && !trustedFiles.has(r.file)).map((r) => `${r.file}:${r.line} ${r.text}`);

  test('each one is fed adversarial input by a case, or listed as TRUSTED with the reason', () => {
    // New here? Say which input reaches it and what bounds its length, in test/architecture/bounded-work/:
    // a case feeding it adversarial input of that size, or a TRUSTED entry saying why no outsider reaches it.
    expect(unclassified(inCode)).toEqual([]);
  });

  test('the inventory names no regex the code no longer has', () => {
    const present = new Set(inCode.map((r) => key(r.file, r.text)));
    const files = new Set(inCode.map((r) => r.file));
    const stale = [...covered, ...trusted].filter((k) => !present.has(k));
    const staleFiles = [...trustedFiles].filter((f) => !files.has(f));
    expect([...stale, ...staleFiles]).toEqual([]);
  });

  test('a planted regex is found and reported; a division, a string and a comment are not taken for one', () => {
    const planted = regexesIn({ path: 'src/antom/planted.ts', text: "const a = 1 / 2 / 3; const b = '/x/'; // /y/\nconst c = /<[^>]*>/g; const d = new RegExp(b);" });
    expect(planted.map((r) => r.text)).toEqual(['/<[^>]*>/g', 'new RegExp(b)']);
    expect(unclassified(planted)).toEqual(['src/antom/planted.ts:2 /<[^>]*>/g', 'src/antom/planted.ts:2 new RegExp(b)']);
    expect(inCode.length).toBeGreaterThan(150);
  });
});
