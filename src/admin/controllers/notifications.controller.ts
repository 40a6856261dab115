import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { AuditService } from '../../audit/audit.service';
import { AdminGuard } from '../auth/admin.guard';
import { AllowRoles, MONEY_ROLES, READ_ROLES } from '../auth/roles';
import { AdminExceptionFilter } from '../http/admin-exception.filter';
import { AdminRefusal, AdminRequest, clientIp, redirect, sendPage, signedIn } from '../http/admin-http';
import { AdminPaymentsService } from '../payments/admin-payments.service';
import { FailingNotification, FailingNotificationsService, RetryOutcome } from '../payments/failing-notifications.service';
import { failingNotificationsPage, retryConfirmPage, retryResultPage } from '../views/notifications.view';

/** Console-wide failing merchant notifications; "Retry now" asks first, then says what happened. */
@Controller('admin/notifications')
@UseGuards(AdminGuard)
@UseFilters(AdminExceptionFilter)
export class AdminNotificationsController {
  constructor(
    private readonly failing: FailingNotificationsService,
    private readonly payments: AdminPaymentsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @AllowRoles(...READ_ROLES)
  async list(@Req() req: AdminRequest, @Query('before') before: unknown, @Res() reply: FastifyReply) {
    const { rows, next } = await this.failing.page(before);
    sendPage(reply, failingNotificationsPage(signedIn(req), rows, next, typeof before !== 'string' || before === ''));
  }

  @Get(':id/retry')
  @AllowRoles(...MONEY_ROLES)
  async confirm(@Req() req: AdminRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    sendPage(reply, retryConfirmPage(signedIn(req), await this.load(id)));
  }

  @Post(':id/retry')
  @AllowRoles(...MONEY_ROLES)
  async retry(@Req() req: AdminRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const n = await this.load(id);
    const p = await this.payments.findByPaymentId(n.paymentId);
    const { auditId } = await this.failing.retry(
      { user: signedIn(req).user, ip: clientIp(req) },
      { id: n.id, paymentUuid: n.paymentUuid, paymentId: n.paymentId, paymentRequestId: p?.paymentRequestId ?? null },
    );
    // Post/redirect/get: reloading the answer re-reads the notice, it never sends it again.
    redirect(reply, `/admin/notifications/${n.id}/retried/${auditId}`);
  }

  @Get(':id/retried/:auditId')
  @AllowRoles(...READ_ROLES)
  async result(@Req() req: AdminRequest, @Param('id') id: string, @Param('auditId') auditId: string, @Res() reply: FastifyReply) {
    const n = await this.load(id);
    const me = signedIn(req).user;
    const [entry] = /^\d{1,18}$/.test(auditId)
      ? await this.audit.recent({ actor: `admin:${me.username}`, beforeId: (BigInt(auditId) + 1n).toString(), limit: 1 })
      : [];
    if (
      !entry ||
      entry.id !== auditId ||
      entry.action !== 'RETRY_NOTIFICATION' ||
      (entry.detail as { notificationId?: unknown } | null)?.notificationId !== n.id
    )
      throw new AdminRefusal(404, 'No such retry.');
    const outcome: RetryOutcome = entry.outcome !== 'SUCCESS' ? 'not-retried' : n.status === 'DELIVERED' ? 'delivered' : 'queued';
    sendPage(reply, retryResultPage(signedIn(req), n, outcome));
  }

  private async load(id: string): Promise<FailingNotification> {
    const n = await this.failing.get(id);
    if (!n) throw new AdminRefusal(404, 'No merchant notification with this id.');
    return n;
  }
}
