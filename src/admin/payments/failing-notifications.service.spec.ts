import { mock } from 'jest-mock-extended';
import type { Logger } from 'pino';

import { AuditService } from '../../audit/audit.service';
import { anActor, anAuditRow } from '../admin.fakes';
import { FailingNotificationRow, FailingNotificationsRepository } from './failing-notifications.repository';
import { FAILING_PAGE_SIZE, FailingNotificationsService, RETRY_POLLS } from './failing-notifications.service';
import { AdminNotificationsService } from './notifications.service';

const NOTICE = '44444444-4444-4444-8444-444444444444';

function aRow(i: number, over: Partial<FailingNotificationRow> = {}): FailingNotificationRow {
  return {
    id: `44444444-4444-4444-8444-${String(i).padStart(12, '0')}`,
    cursor_us: String(1_765_000_000_000_000 - i),
    notify_type: 'PAYMENT_RESULT',
    status: 'FAILED',
    attempts: 8,
    next_attempt_at: null,
    last_error: 'HTTP 500',
    last_attempt_at: new Date('2026-03-01T10:00:00Z'),
    created_at: new Date('2026-03-01T09:00:00Z'),
    payment_uuid: '55555555-5555-4555-8555-555555555555',
    payment_id: `gwp_${i}`,
    merchant_name: 'Shop',
    merchant_client_id: 'shop-1',
    ...over,
  };
}

function setup() {
  const repo = mock<FailingNotificationsRepository>();
  const notifications = mock<AdminNotificationsService>();
  const audit = mock<AuditService>();
  const logger = mock<Logger>();
  audit.append.mockResolvedValue(anAuditRow('77'));
  const service = new FailingNotificationsService(repo, notifications, audit, logger);
  service.sleep = async () => undefined;
  return { repo, notifications, audit, logger, service };
}

const target = { id: NOTICE, paymentUuid: '55555555-5555-4555-8555-555555555555', paymentId: 'gwp_1', paymentRequestId: 'req_1' };

describe('FailingNotificationsService', () => {
  it('pages by keyset: one row more than a page says there is a next page, whose cursor is the last row shown', async () => {
    const { repo, service } = setup();
    repo.page.mockResolvedValue(Array.from({ length: FAILING_PAGE_SIZE + 1 }, (_, i) => aRow(i)));
    const first = await service.page(undefined);
    expect(repo.page).toHaveBeenCalledWith(FAILING_PAGE_SIZE + 1, null);
    expect(first.rows).toHaveLength(FAILING_PAGE_SIZE);
    const last = aRow(FAILING_PAGE_SIZE - 1);
    expect(first.next).toBe(`${last.cursor_us}_${last.id}`);

    repo.page.mockResolvedValue([aRow(60)]);
    const second = await service.page(first.next);
    expect(repo.page).toHaveBeenLastCalledWith(FAILING_PAGE_SIZE + 1, { us: last.cursor_us, id: last.id });
    expect(second.next).toBeNull();
  });

  it('reads an ill-formed cursor as the first page, never as SQL', async () => {
    const { repo, service } = setup();
    repo.page.mockResolvedValue([]);
    for (const bad of ["1'; DROP TABLE x;--_a", '12_not-a-uuid', ['1_' + NOTICE], 42]) await service.page(bad);
    for (const call of repo.page.mock.calls) expect(call[1]).toBeNull();
  });

  it('retry: made due, audited and logged, and "delivered" once the worker has sent it', async () => {
    const { repo, notifications, audit, logger, service } = setup();
    notifications.retryNow.mockResolvedValue(true);
    repo.byId.mockResolvedValueOnce(aRow(1, { status: 'PENDING' })).mockResolvedValueOnce(aRow(1, { status: 'DELIVERED' }));
    const out = await service.retry(anActor('operator'), target);
    expect(out).toEqual({ outcome: 'delivered', auditId: '77' });
    expect(notifications.retryNow).toHaveBeenCalledWith(target.paymentUuid, NOTICE);
    expect(audit.append).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'RETRY_NOTIFICATION', target: 'gwp_1', outcome: 'SUCCESS', detail: { notificationId: NOTICE } }),
    );
    expect(logger.info.mock.calls[0][0]).toMatchObject({
      action: 'RETRY_NOTIFICATION',
      paymentId: 'gwp_1',
      paymentRequestId: 'req_1',
      resultCode: 'DELIVERED',
    });
  });

  it('retry: "queued" when the worker has not delivered it within the polls; "not-retried" (audited FAILURE) when nothing was due', async () => {
    const { repo, notifications, audit, service } = setup();
    notifications.retryNow.mockResolvedValue(true);
    repo.byId.mockResolvedValue(aRow(1, { status: 'PENDING' }));
    expect((await service.retry(anActor('operator'), target)).outcome).toBe('queued');
    expect(repo.byId).toHaveBeenCalledTimes(RETRY_POLLS);

    notifications.retryNow.mockResolvedValue(false);
    repo.byId.mockClear();
    expect((await service.retry(anActor('operator'), target)).outcome).toBe('not-retried');
    expect(repo.byId).not.toHaveBeenCalled();
    expect(audit.append).toHaveBeenLastCalledWith(expect.objectContaining({ outcome: 'FAILURE' }));
  });
});
