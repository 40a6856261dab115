/**
 * What `npm run bench` and `npm run bench:scale` both need to bring up their processes: the sandbox's env file
 * read, a health probe, and a bounded wait for readiness.
 */
import * as fs from 'node:fs';

/** `KEY=value` lines (the sandbox's env file for the gateway), the value taken as written. */
export function parseEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** The process answers its health URL with a 2xx within 2 s. */
export async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** Polls `ready` every 200 ms; throws after `timeoutMs`, naming what did not come up and where its logs are. */
export async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs: number, logs: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} did not become ready in ${timeoutMs / 1000} s (see ${logs})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
