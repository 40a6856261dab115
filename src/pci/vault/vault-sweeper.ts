import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Logger } from 'pino';

import { LOGGER } from '../../platform/logging/logger.tokens';
import { CollectSessionRepository } from '../card-collection/collect/collect-session.repository';
import { VaultService } from './vault.service';

const SWEEP_EVERY_MS = 60_000;
/**
 * Stored cards are shredded this long after their expiry month ends: long enough for a merchant to
 * collect a renewed card from the buyer, short enough that a dead PAN is not kept (PCI DSS 3.2.1).
 */
export const EXPIRED_CARD_GRACE_DAYS = 90;
/** Stored cards whose expiry one sweep opens: at one sweep a minute, about 720,000 cards a day per instance. */
export const EXPIRY_BATCH = 500;

/**
 * Every minute: destroys CVVs past their TTL (what a crash or an abandoned 3DS challenge left behind),
 * shreds one-time cards a day after their token expired, shreds stored cards EXPIRED_CARD_GRACE_DAYS after
 * their expiry month (one batch of EXPIRY_BATCH per sweep, walking the table) and deletes hosted-page
 * sessions a day after theirs. Each sweep is one idempotent DELETE per
 * table, so several gateway instances sweeping at once is harmless: no lock, no leader needed.
 */
@Injectable()
export class VaultSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  /** Where the expiry walk resumes (card id order); '' starts over. In memory: a restart only starts over. */
  private expiryCursor = '';

  constructor(
    private readonly vault: VaultService,
    private readonly sessions: CollectSessionRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<SweepResult> {
    const work = (async () => ({
      cvvs: await this.vault.purgeExpiredCvvs(),
      cards: await this.vault.purgeExpiredOneTimeCards(),
      expiredCards: await this.purgeExpiredStoredCards(),
      sessions: await this.sessions.purgeExpired(),
    }))();
    this.running = work.catch(() => undefined);
    try {
      const done = await work;
      if (done.cvvs || done.cards || done.expiredCards || done.sessions)
        this.logger.info(done, 'vault sweep: expired CVVs, one-time cards, expired stored cards and card-page sessions removed');
      return done;
    } catch (e) {
      this.logger.warn({ err: { type: (e as Error).name } }, 'vault sweep failed; will retry next minute');
      return { cvvs: 0, cards: 0, expiredCards: 0, sessions: 0 };
    }
  }

  private async purgeExpiredStoredCards(): Promise<number> {
    const { purged, next } = await this.vault.purgeExpiredStoredCards(this.expiryCursor, EXPIRY_BATCH, EXPIRED_CARD_GRACE_DAYS);
    this.expiryCursor = next;
    return purged;
  }
}

export interface SweepResult {
  cvvs: number;
  /** One-time cards a day past their token's expiry. */
  cards: number;
  /** Stored (on-file) cards past their expiry month by more than the grace period. */
  expiredCards: number;
  sessions: number;
}
