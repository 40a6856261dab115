import * as path from 'node:path';

import { runInWorker, WorkerOutcome } from './run-in-worker';

// Real worker threads (what this module is), on the functions of run-in-worker.fakes.ts. No assertion on
// elapsed time: deadlines are outcomes here, and the generous test timeout covers a busy machine.
const FAKES = path.join(__dirname, 'run-in-worker.fakes');

describe('runInWorker', () => {
  it("returns the function's value (sync or async) as done", async () => {
    await expect(runInWorker<number>(FAKES, 'double', [21], { deadlineMs: 30_000 })).resolves.toEqual({ kind: 'done', value: 42 });
    await expect(runInWorker<string>(FAKES, 'later', ['x'], { deadlineMs: 30_000 })).resolves.toEqual({ kind: 'done', value: 'x' });
  });

  it('reports a throw as failed/error with its message', async () => {
    await expect(runInWorker(FAKES, 'fail', ['bad document'], { deadlineMs: 30_000 })).resolves.toEqual({
      kind: 'failed',
      reason: 'error',
      message: 'bad document',
    });
  });

  it('reports a function the module does not export as failed/error', async () => {
    const o = await runInWorker(FAKES, 'noSuchFunction', [], { deadlineMs: 30_000 });
    expect(o).toMatchObject({ kind: 'failed', reason: 'error' });
  });

  it('terminates a worker past its deadline: timeout', async () => {
    await expect(runInWorker(FAKES, 'hang', [], { deadlineMs: 300 })).resolves.toEqual({ kind: 'timeout' });
  });

  it('reports a worker past its heap cap as failed/out-of-memory', async () => {
    const o = await runInWorker(FAKES, 'hog', [], { deadlineMs: 60_000, maxOldGenerationSizeMb: 16 });
    expect(o).toMatchObject({ kind: 'failed', reason: 'out-of-memory' });
  });

  it('runs at most 2 at once with 16 waiting; the next is busy at once, and the queue drains', async () => {
    const accepted = Array.from({ length: 18 }, () => runInWorker(FAKES, 'hang', [], { deadlineMs: 150 }));
    await expect(runInWorker(FAKES, 'double', [1], { deadlineMs: 30_000 })).resolves.toEqual({ kind: 'busy' });
    const outcomes: WorkerOutcome<unknown>[] = await Promise.all(accepted);
    expect(outcomes.every((o) => o.kind === 'timeout')).toBe(true);
    // Once drained, the slots are free again.
    await expect(runInWorker<number>(FAKES, 'double', [2], { deadlineMs: 30_000 })).resolves.toEqual({ kind: 'done', value: 4 });
  });
});
