import { mock } from 'jest-mock-extended';
import { DataSource } from 'typeorm';

import { OutboxService } from '../../notifications/outbox/outbox.service';
import { UUID } from '../admin.fakes';
import { AdminPaymentsRepository } from './admin-payments.repository';
import { AdminNotificationsService } from './notifications.service';

const NOTICE = '44444444-4444-4444-8444-444444444444';

function setup() {
  const db = mock<DataSource>();
  const repo = mock<AdminPaymentsRepository>();
  const outbox = mock<OutboxService>();
  return { db, repo, outbox, service: new AdminNotificationsService(db, repo, outbox) };
}

describe('AdminNotificationsService', () => {
  it('forPayment: each notice with its delivery attempts, times as Date', async () => {
    const { repo, service } = setup();
    repo.notifications.mockResolvedValue([
      {
        id: NOTICE,
        notify_type: 'PAYMENT_RESULT',
        status: 'FAILED',
        held: false,
        attempts: 2,
        next_attempt_at: new Date('2026-03-01T10:05:00Z'),
        last_error: 'HTTP 500',
        log: [
          { attempt: 1, at: '2026-03-01T10:00:00Z', outcome: 'HTTP_ERROR', httpStatus: 500, durationMs: 12 },
          { attempt: 2, at: '2026-03-01T10:01:00Z', outcome: 'TIMEOUT', httpStatus: null, durationMs: 5000 },
        ],
      },
      {
        id: UUID.approval,
        notify_type: 'CAPTURE_RESULT',
        status: 'PENDING',
        held: true,
        attempts: 0,
        next_attempt_at: null,
        last_error: null,
        log: [],
      },
    ]);
    const views = await service.forPayment(UUID.payment);
    expect(repo.notifications).toHaveBeenCalledWith(UUID.payment);
    expect(views[0]).toEqual({
      id: NOTICE,
      notifyType: 'PAYMENT_RESULT',
      status: 'FAILED',
      held: false,
      attempts: 2,
      nextAttemptAt: new Date('2026-03-01T10:05:00Z'),
      lastError: 'HTTP 500',
      log: [
        { attempt: 1, at: new Date('2026-03-01T10:00:00Z'), outcome: 'HTTP_ERROR', httpStatus: 500, durationMs: 12 },
        { attempt: 2, at: new Date('2026-03-01T10:01:00Z'), outcome: 'TIMEOUT', httpStatus: null, durationMs: 5000 },
      ],
    });
    expect(views[1]).toMatchObject({ held: true, nextAttemptAt: null, log: [] });
  });

  it('retryNow: the outbox makes the notice due now, on behalf of the console', async () => {
    const { db, outbox, service } = setup();
    outbox.retryNow.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    expect(await service.retryNow(UUID.payment, NOTICE)).toBe(true);
    expect(outbox.retryNow).toHaveBeenCalledWith(db, UUID.payment, NOTICE, 'admin');
    expect(await service.retryNow(UUID.payment, NOTICE)).toBe(false); // delivered, held, or another payment's
  });

  it.each(['', 'x', `${NOTICE}'--`, NOTICE.toUpperCase().replace(/4/g, 'A').replace(/-/g, 'G')])(
    'retryNow(%j): false without touching the outbox',
    async (id) => {
      const { outbox, service } = setup();
      expect(await service.retryNow(UUID.payment, id)).toBe(false);
      expect(outbox.retryNow).not.toHaveBeenCalled();
    },
  );
});
