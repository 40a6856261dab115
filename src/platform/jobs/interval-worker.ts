import { Logger } from 'pino';

/**
 * Runs `tick` every `intervalMs`, never overlapping itself, until stopped. Work is claimed from the
 * database with row locks (FOR UPDATE SKIP LOCKED), so the same worker on several gateway instances
 * shares the load instead of doing it twice.
 */
export class IntervalWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly tick: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Runs one tick now (tests and the admin's "retry" use it); waits for a tick already running. */
  async runOnce(): Promise<void> {
    if (this.running) await this.running;
    this.running = this.tick()
      .then(() => undefined)
      .catch((e: unknown) =>
        this.logger.error({ worker: this.name, err: e instanceof Error ? { type: e.name, message: e.message } : String(e) }, 'worker tick failed'),
      )
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }

  /** Waits for a tick in progress, but not forever: shutdown must not hang on a slow upstream. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runOnce().finally(() => this.schedule()), this.intervalMs);
    this.timer.unref();
  }
}
