/** Antom's notification schedule: up to 8 sends at 0 s, 2 min, 10 min, 10 min, 1 h, 2 h, 6 h, 15 h. */
export const RETRY_DELAYS_SECONDS = [0, 120, 600, 600, 3600, 7200, 21600, 54000];
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length;

/** Delay before attempt number `next` (1-based), scaled so tests can run the whole schedule in seconds. */
export function delayBeforeAttemptMs(next: number, timeScale: number): number | null {
  if (next > MAX_ATTEMPTS) return null;
  return Math.round(RETRY_DELAYS_SECONDS[next - 1] * 1000 * timeScale);
}
