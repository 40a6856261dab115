import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';

import { IntervalWorker } from './interval-worker';

/** A tick the test finishes by hand: how a slow upstream looks from the worker. */
function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('IntervalWorker', () => {
  let logger: ReturnType<typeof mock<Logger>>;
  beforeEach(() => {
    jest.useFakeTimers();
    logger = mock<Logger>();
  });
  afterEach(() => jest.useRealTimers());

  it('ticks every intervalMs once started, and not before', async () => {
    const tick = jest.fn().mockResolvedValue(undefined);
    const w = new IntervalWorker('w', 1000, tick, logger);
    w.start();
    await jest.advanceTimersByTimeAsync(999);
    expect(tick).toHaveBeenCalledTimes(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(tick).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(3000);
    expect(tick).toHaveBeenCalledTimes(4);
    await w.stop();
  });

  it('never overlaps itself: the next interval starts only after a slow tick ends', async () => {
    const slow = deferred();
    const tick = jest.fn().mockReturnValueOnce(slow.promise).mockResolvedValue(undefined);
    const w = new IntervalWorker('w', 100, tick, logger);
    w.start();
    await jest.advanceTimersByTimeAsync(100);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(tick).toHaveBeenCalledTimes(1);
    slow.resolve();
    await jest.advanceTimersByTimeAsync(100);
    expect(tick).toHaveBeenCalledTimes(2);
    await w.stop();
  });

  it('logs a failed tick by error type and message, and keeps ticking', async () => {
    const tick = jest.fn().mockRejectedValueOnce(new TypeError('boom')).mockRejectedValueOnce('not an error').mockResolvedValue(undefined);
    const w = new IntervalWorker('outbox', 50, tick, logger);
    w.start();
    await jest.advanceTimersByTimeAsync(150);
    expect(tick).toHaveBeenCalledTimes(3);
    expect(logger.error).toHaveBeenNthCalledWith(1, { worker: 'outbox', err: { type: 'TypeError', message: 'boom' } }, 'worker tick failed');
    expect(logger.error).toHaveBeenNthCalledWith(2, { worker: 'outbox', err: 'not an error' }, 'worker tick failed');
    await w.stop();
  });

  it('runOnce runs a tick now, and waits for one already running before starting its own', async () => {
    const first = deferred();
    const order: string[] = [];
    const tick = jest
      .fn()
      .mockImplementationOnce(() => first.promise.then(() => order.push('first')))
      .mockImplementationOnce(async () => order.push('second'));
    const w = new IntervalWorker('w', 60_000, tick, logger);
    const a = w.runOnce();
    const b = w.runOnce();
    await Promise.resolve();
    expect(tick).toHaveBeenCalledTimes(1);
    first.resolve();
    await Promise.all([a, b]);
    expect(order).toEqual(['first', 'second']);
  });

  it('runOnce resolves even when the tick fails (the failure is logged, not thrown)', async () => {
    const w = new IntervalWorker('w', 1000, () => Promise.reject(new Error('db down')), logger);
    await expect(w.runOnce()).resolves.toBeUndefined();
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('stop cancels the next tick; start after stop schedules again', async () => {
    const tick = jest.fn().mockResolvedValue(undefined);
    const w = new IntervalWorker('w', 100, tick, logger);
    w.start();
    await w.stop();
    await jest.advanceTimersByTimeAsync(1000);
    expect(tick).not.toHaveBeenCalled();
    w.start();
    await jest.advanceTimersByTimeAsync(100);
    expect(tick).toHaveBeenCalledTimes(1);
    await w.stop();
  });

  it('stop waits for the tick in progress, but no longer than its grace period', async () => {
    const hung = deferred();
    const w = new IntervalWorker('w', 10, () => hung.promise, logger);
    w.start();
    await jest.advanceTimersByTimeAsync(10);
    let stopped = false;
    const stopping = w.stop(5000).then(() => {
      stopped = true;
    });
    await jest.advanceTimersByTimeAsync(4999);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await stopping;
    expect(stopped).toBe(true);
  });

  it('stop returns as soon as the tick in progress ends', async () => {
    const slow = deferred();
    const w = new IntervalWorker('w', 10, () => slow.promise, logger);
    w.start();
    await jest.advanceTimersByTimeAsync(10);
    const stopping = w.stop(60_000);
    slow.resolve();
    await expect(stopping).resolves.toBeUndefined();
    expect(jest.getTimerCount()).toBeLessThanOrEqual(1); // at most the unref'd grace timer, never a new tick
  });
});
