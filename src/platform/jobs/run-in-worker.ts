import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * Runs one exported function of a module in a worker thread, off the event loop, with a deadline and a
 * memory cap: for work whose cost depends on what an outsider sent (a document to scan). The worker is
 * terminated at the deadline, so no input can hold a thread longer than that; at most `MAX_RUNNING` run at
 * once and at most `MAX_WAITING` wait, so a flood cannot queue unbounded work either.
 *
 * A fresh worker per call (about 30–60 ms to start on this machine): the callers are rare (defence
 * documents) and a fresh thread leaves nothing behind from a hostile input.
 */
export type WorkerOutcome<T> =
  { kind: 'done'; value: T } | { kind: 'timeout' } | { kind: 'busy' } | { kind: 'failed'; reason: 'out-of-memory' | 'error'; message: string };

export interface WorkerLimits {
  deadlineMs: number;
  maxOldGenerationSizeMb?: number;
}

const MAX_RUNNING = 2;
const MAX_WAITING = 16;
let running = 0;
const waiting: Array<() => void> = [];

/**
 * The worker's code. From the built product the module is JavaScript; from the TypeScript sources (the test
 * suites run them through SWC) the worker compiles what it loads with the same SWC, as Jest does.
 */
const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.file.endsWith('.ts')) {
  const swc = require('@swc/core');
  const fs = require('node:fs');
  require.extensions['.ts'] = (m, filename) => m._compile(swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename, module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  }).code, filename);
}
Promise.resolve()
  .then(() => require(workerData.file)[workerData.fn](...workerData.args))
  .then((value) => parentPort.postMessage({ ok: true, value }), (e) => parentPort.postMessage({ ok: false, message: String(e && e.message || e) }));
`;

/** `file`: the module's path without extension, as `path.join(__dirname, 'x')` gives it. */
export async function runInWorker<T>(file: string, fn: string, args: unknown[], limits: WorkerLimits): Promise<WorkerOutcome<T>> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) return { kind: 'busy' };
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  try {
    return await once<T>(withExtension(file), fn, args, limits);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function withExtension(file: string): string {
  return fs.existsSync(`${file}.js`) ? `${file}.js` : `${file}.ts`;
}

function once<T>(file: string, fn: string, args: unknown[], limits: WorkerLimits): Promise<WorkerOutcome<T>> {
  return new Promise((resolve) => {
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: { file, fn, args },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb ?? 256, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (o: WorkerOutcome<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(o);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), limits.deadlineMs);
    worker.on('message', (m: { ok: boolean; value?: T; message?: string }) =>
      finish(m.ok ? { kind: 'done', value: m.value as T } : { kind: 'failed', reason: 'error', message: m.message ?? 'error' }),
    );
    worker.on('error', (e: Error & { code?: string }) =>
      finish({ kind: 'failed', reason: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'error', message: e.message }),
    );
    worker.on('exit', () => finish({ kind: 'failed', reason: 'error', message: 'the worker stopped' }));
  });
}
