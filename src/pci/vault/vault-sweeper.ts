import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Logger } from 'pino';
import { LOGGER } from '../../platform/logging/logger.tokens';
import { VaultService } from './vault.service';
import { CollectSessionRepository } from '../card-collection/collect/collect-session.repository';

const SWEEP_EVERY_MS = 60_000;

/**
 * Every minute: destroys CVVs past their TTL (what a crash or an abandoned 3DS challenge left behind),
 * shreds one-time cards a day after their token expired and deletes hosted-page sessions a day after theirs. Each sweep is one idempotent DELETE per
 * table, so several gateway instances sweeping at once is harmless: no lock, no leader needed.
 */
@Injectable()
export class VaultSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly vault: VaultService, private readonly sessions: CollectSessionRepository, @Inject(LOGGER) private readonly logger: Logger) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<{ cvvs: number; cards: number; sessions: number }> {
    const work = (async () => ({
      cvvs: await this.vault.purgeExpiredCvvs(),
      cards: await this.vault.purgeExpiredOneTimeCards(),
      sessions: await this.sessions.purgeExpired(),
    }))();
    this.running = work.catch(() => undefined);
    try {
      const done = await work;
      if (done.cvvs || done.cards || done.sessions) this.logger.info(done, 'vault sweep: expired CVVs, one-time cards and card-page sessions removed');
      return done;
    } catch (e) {
      this.logger.warn({ err: { type: (e as Error).name } }, 'vault sweep failed; will retry next minute');
      return { cvvs: 0, cards: 0, sessions: 0 };
    }
  }
}
