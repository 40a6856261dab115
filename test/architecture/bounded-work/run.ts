import * as vm from 'node:vm';

import { Attack, Case, FLOOR } from './harness';

/*
 * The runner of the bounded-work specs (see bounded-work.spec.ts): each case's attacks fed at their size under
 * V8's termination watchdog. The cases are split over several spec files only so that Jest's workers run them
 * side by side; together they are the one table in cases.ts.
 */

/** Far above any case's linear cost on a saturated machine, far below the hours a regression takes. */
export const DEADLINE_MS = 30_000;

/**
 * Runs `work` under V8's termination watchdog (vm's timeout): past the deadline the running code, regex
 * backtracking included, is stopped and this throws. What `work` leaves to promises runs after it, under
 * Jest's timeout (validateBody and the CLI do their regex work before their first await).
 */
export function withinDeadline(work: () => unknown, ms = DEADLINE_MS): unknown {
  try {
    return vm.runInNewContext('work()', { work }, { timeout: ms });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
      throw new Error(`still running after ${ms} ms: super-linear work on untrusted input`);
    throw e;
  }
}

const size = (c: Case, a?: Attack) => a?.smaller?.bytes ?? (c.exact ? c.limit.bytes : Math.max(c.limit.bytes, FLOOR));

const mib = (n: number) => (n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} characters`);

/** One describe per case, one test per attack (a KNOWN one listed as todo). */
export function describeCases(cases: Case[]): void {
  for (const c of cases) {
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
}
