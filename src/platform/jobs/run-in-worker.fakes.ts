/**
 * Functions for run-in-worker.spec.ts to run in a worker thread (each loaded there through SWC). Not imported
 * by production code; `*.fakes.ts` is left out of the build (tsconfig.build.json).
 */

export function double(n: number): number {
  return n * 2;
}

export async function later(value: string): Promise<string> {
  await new Promise((r) => setTimeout(r, 1));
  return value;
}

export function fail(message: string): never {
  throw new Error(message);
}

/** Never answers, and keeps its thread alive (a timer) until it is terminated. */
export function hang(): Promise<never> {
  return new Promise(() => setInterval(() => undefined, 1000));
}

/** Allocates until the worker's heap cap stops it. */
export function hog(): number {
  const kept: number[][] = [];
  for (;;) kept.push(new Array(1_000_000).fill(1));
}
