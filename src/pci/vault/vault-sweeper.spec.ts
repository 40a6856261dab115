import { mock } from 'jest-mock-extended';
import { Logger } from 'pino';

import { CollectSessionRepository } from '../card-collection/collect/collect-session.repository';
import { VaultService } from './vault.service';
import { EXPIRED_CARD_GRACE_DAYS, EXPIRY_BATCH, VaultSweeper } from './vault-sweeper';

describe('VaultSweeper', () => {
  const setup = () => {
    const vault = mock<VaultService>();
    const sessions = mock<CollectSessionRepository>();
    const logger = mock<Logger>();
    vault.purgeExpiredCvvs.mockResolvedValue(0);
    vault.purgeExpiredOneTimeCards.mockResolvedValue(0);
    vault.purgeExpiredStoredCards.mockResolvedValue({ purged: 0, next: '' });
    sessions.purgeExpired.mockResolvedValue(0);
    return { vault, sessions, logger, sweeper: new VaultSweeper(vault, sessions, logger) };
  };
  afterEach(() => jest.useRealTimers());

  it('sweeps CVVs, one-time cards and card-page sessions, and logs what it removed', async () => {
    const { vault, sessions, logger, sweeper } = setup();
    vault.purgeExpiredCvvs.mockResolvedValue(3);
    sessions.purgeExpired.mockResolvedValue(1);
    await expect(sweeper.sweep()).resolves.toEqual({ cvvs: 3, cards: 0, expiredCards: 0, sessions: 1 });
    expect(logger.info).toHaveBeenCalledWith({ cvvs: 3, cards: 0, expiredCards: 0, sessions: 1 }, expect.stringContaining('vault sweep'));
  });

  it('shreds expired stored cards one batch per sweep, walking the table and starting over at its end', async () => {
    const { vault, logger, sweeper } = setup();
    vault.purgeExpiredStoredCards
      .mockResolvedValueOnce({ purged: 2, next: 'card-500' })
      .mockResolvedValueOnce({ purged: 0, next: '' })
      .mockResolvedValueOnce({ purged: 1, next: 'card-500' });
    await expect(sweeper.sweep()).resolves.toMatchObject({ expiredCards: 2 });
    await sweeper.sweep();
    await sweeper.sweep();
    expect(vault.purgeExpiredStoredCards.mock.calls).toEqual([
      ['', EXPIRY_BATCH, EXPIRED_CARD_GRACE_DAYS],
      ['card-500', EXPIRY_BATCH, EXPIRED_CARD_GRACE_DAYS],
      ['', EXPIRY_BATCH, EXPIRED_CARD_GRACE_DAYS],
    ]);
    expect(logger.info).toHaveBeenCalledWith(expect.objectContaining({ expiredCards: 2 }), expect.stringContaining('expired stored cards'));
  });

  it('says nothing when there was nothing to remove', async () => {
    const { logger, sweeper } = setup();
    await expect(sweeper.sweep()).resolves.toEqual({ cvvs: 0, cards: 0, expiredCards: 0, sessions: 0 });
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('a failed sweep answers zeros, logs the error class only (never its message), and is retried next time', async () => {
    const { vault, logger, sweeper } = setup();
    vault.purgeExpiredOneTimeCards.mockRejectedValueOnce(new RangeError('row of merchant m-7 broken'));
    await expect(sweeper.sweep()).resolves.toEqual({ cvvs: 0, cards: 0, expiredCards: 0, sessions: 0 });
    expect(logger.warn).toHaveBeenCalledWith({ err: { type: 'RangeError' } }, expect.any(String));
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('m-7');
    vault.purgeExpiredOneTimeCards.mockResolvedValue(2);
    await expect(sweeper.sweep()).resolves.toEqual({ cvvs: 0, cards: 2, expiredCards: 0, sessions: 0 });
  });

  it('sweeps every minute once bootstrapped, and stops at shutdown', async () => {
    jest.useFakeTimers();
    const { vault, sweeper } = setup();
    sweeper.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(59_999);
    expect(vault.purgeExpiredCvvs).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(vault.purgeExpiredCvvs).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(vault.purgeExpiredCvvs).toHaveBeenCalledTimes(3);
    await sweeper.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(600_000);
    expect(vault.purgeExpiredCvvs).toHaveBeenCalledTimes(3);
  });

  it('shutdown waits for a sweep in progress (even a failing one)', async () => {
    const { vault, sessions, sweeper } = setup();
    let finish!: (n: number) => void;
    sessions.purgeExpired.mockReturnValue(
      new Promise((r) => {
        finish = r;
      }),
    );
    vault.purgeExpiredCvvs.mockResolvedValue(1);
    const sweeping = sweeper.sweep();
    let down = false;
    const shutdown = sweeper.onApplicationShutdown().then(() => {
      down = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(down).toBe(false);
    finish(4);
    await shutdown;
    await expect(sweeping).resolves.toEqual({ cvvs: 1, cards: 0, expiredCards: 0, sessions: 4 });
  });
});
