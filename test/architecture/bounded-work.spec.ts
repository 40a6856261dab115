import { ACQUIRER } from './bounded-work/acquirer';
import { CASES, FLOOR, TRUSTED } from './bounded-work/cases';
import { CONSOLE } from './bounded-work/console';
import { MERCHANT_API } from './bounded-work/merchant-api';
import { OUTSIDE } from './bounded-work/outside';
import { describeCases, withinDeadline } from './bounded-work/run';
import { regexesIn, regexesUnder, RegexInCode } from './regex-literals';

/*
 * Bounded work on untrusted input (issue 23; compliance/hardening-controls.md). A card-number scan once
 * stripped tags with /<[^>]*>/g: 120,000 "<" froze the event loop for 30 s. Two checks keep that shape out:
 *
 * 1. Every regex and parser that untrusted input reaches (the table in bounded-work/) completes on
 *    adversarial input of the largest size it can receive (at least 1 MiB; less only where Attack.smaller says why). Nothing here measures speed: linear work takes milliseconds,
 *    quadratic work on the same input takes hours, and the deadline (bounded-work/run.ts) only turns such a hang into a
 *    failure. Jest's own timeout cannot: it never interrupts synchronous code.
 *    V8's termination stops JavaScript and regex backtracking, not a native call (ICU's normalize runs to its
 *    end): such an attack is fed a size where a regression returns, late, and fails (Attack.smaller says why).
 * 2. Every regex written in src/ and sandbox/ is accounted for, by a case (1) or as TRUSTED with the
 *    reason no outsider's input reaches it. A new regex fails this spec until someone has classified it.
 */

const ROOT = process.cwd();

const key = (file: string, text: string) => `${file} ${text}`;

// The merchant API's and the console's cases run in bounded-work-merchant-api.spec.ts and bounded-work-console.spec.ts
// (the same table, split so Jest's workers run them side by side: one file took 75 s on a 2-core CI machine).
describe('bounded work on untrusted input', () => {
  describeCases([...ACQUIRER, ...OUTSIDE]);

  test('the deadline stops a quadratic regex (so a regression fails instead of hanging)', () => {
    // 1 MiB of "<" through the old tag strip: ~5·10^11 steps. A short deadline suffices to see it stopped.
    const quadratic = /<[^>]*>/g;
    expect(() => withinDeadline(() => '<'.repeat(FLOOR).replace(quadratic, ''), 200)).toThrow(/still running after 200 ms/);
  });

  test('the spec files together run every case of the table', () => {
    expect([...MERCHANT_API, ...ACQUIRER, ...CONSOLE, ...OUTSIDE]).toEqual(CASES);
  });
});

describe('every regex in src/ and sandbox/ is accounted for', () => {
  const inCode = regexesUnder(ROOT, ['src', 'sandbox']);
  const covered = new Set(CASES.flatMap((c) => Object.entries(c.covers).flatMap(([file, texts]) => texts.map((t) => key(file, t)))));
  const trustedFiles = new Set(TRUSTED.filter((t) => !t.regexes).map((t) => t.file));
  const trusted = new Set(TRUSTED.flatMap((t) => (t.regexes ?? []).map((text) => key(t.file, text))));
  const unclassified = (found: RegexInCode[]) =>
    found
      .filter((r) => !covered.has(key(r.file, r.text)) && !trusted.has(key(r.file, r.text)) && !trustedFiles.has(r.file))
      .map((r) => `${r.file}:${r.line} ${r.text}`);

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
    const planted = regexesIn({
      path: 'src/antom/planted.ts',
      text: "const a = 1 / 2 / 3; const b = '/x/'; // /y/\nconst c = /<[^>]*>/g; const d = new RegExp(b);",
    });
    expect(planted.map((r) => r.text)).toEqual(['/<[^>]*>/g', 'new RegExp(b)']);
    expect(unclassified(planted)).toEqual(['src/antom/planted.ts:2 /<[^>]*>/g', 'src/antom/planted.ts:2 new RegExp(b)']);
    expect(inCode.length).toBeGreaterThan(150);
  });
});
