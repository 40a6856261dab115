/**
 * TEST HOOK, never set in production: GATEWAY_CRASH_AT names one dangerous point of the gateway
 * (`after-upstream-pay`, `after-upstream-capture`, `after-upstream-update-amount`, `after-notification-send`) where the process kills
 * itself with SIGKILL — no cleanup, no flush — so the crash-safety suite can prove that a restart
 * loses and doubles nothing. Read once at load; unset, `crashPoint` is a no-op.
 */
export type CrashPoint = 'after-upstream-pay' | 'after-upstream-capture' | 'after-upstream-update-amount' | 'after-notification-send';

const armed = process.env.GATEWAY_CRASH_AT;

export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
