/**
 * Coalesces writes: items added while a write is in flight (or in the same tick) go out together in the
 * next one. Nothing waits for a timer, so a lone item is written at once; under load one statement
 * carries many items — every round trip to PostgreSQL costs CPU on both sides (npm run bench).
 */
export class WriteBatcher<T> {
  private queue: { item: T; done: (e?: unknown) => void }[] = [];
  private draining = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 256,
  ) {}

  /** Resolves once the item is written; rejects if its batch's write failed. */
  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, done: (e) => (e === undefined ? resolve() : reject(e)) });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      await new Promise((r) => setImmediate(r)); // let results finishing in the same tick join
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        const error = await this.write(batch.map((b) => b.item)).then(
          () => undefined,
          (e: unknown) => e ?? new Error('write failed'),
        );
        for (const b of batch) b.done(error);
      }
    } finally {
      this.draining = false;
    }
  }
}
