import { Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { ApprovalsService } from '../actions/approvals.service';
import { ApproverEligibilityService } from '../actions/approver-eligibility.service';
import { PaymentActionsService } from '../actions/payment-actions.service';
import { AdminSettings } from '../admin-settings';
import { AdminGuard } from '../auth/admin.guard';
import { AllowRoles, MONEY_ROLES, READ_ROLES } from '../auth/roles';
import { AdminExceptionFilter } from '../http/admin-exception.filter';
import { AdminRefusal, AdminRequest, clientIp, redirect, sendPage, signedIn } from '../http/admin-http';
import { AdminPaymentsService } from '../payments/admin-payments.service';
import { outcomePage } from '../views/actions.view';
import { approvalsPage } from '../views/admin-pages.view';

/** Four-eyes: the waiting requests, approve (executes at once with the original request id) or reject. */
@Controller('admin/approvals')
@UseGuards(AdminGuard)
@UseFilters(AdminExceptionFilter)
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly actions: PaymentActionsService,
    private readonly payments: AdminPaymentsService,
    private readonly settings: AdminSettings,
    private readonly eligibility: ApproverEligibilityService,
  ) {}

  @Get()
  @AllowRoles(...READ_ROLES)
  async page(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const all = await this.approvals.list();
    const pending = all.filter((a) => a.status === 'PENDING' && !a.expired);
    // Decided before the page is drawn: Approve only for whom the approval would accept it (approver-eligibility).
    const eligibility = MONEY_ROLES.includes(signedIn(req).user.role) ? await this.eligibility.forRequests(signedIn(req).user, pending) : new Map();
    sendPage(reply, approvalsPage(signedIn(req), pending, all.filter((a) => !pending.includes(a)).slice(0, 50), this.settings.fourEyes, eligibility));
  }

  @Post(':id/approve')
  @AllowRoles(...MONEY_ROLES)
  async approve(@Req() req: AdminRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const a = await this.approvals.byId(id);
    const p = a ? await this.payments.findByPaymentId(a.paymentId) : null;
    if (!a || !p) throw new AdminRefusal(404, 'No such approval request.');
    const outcome = await this.actions.approve({ user: signedIn(req).user, ip: clientIp(req) }, id, p);
    // Post/redirect/get: reloading the result must not try the approval a second time.
    if (outcome.kind !== 'refused' && outcome.auditId) return redirect(reply, `/admin/payments/${p.paymentId}/results/${outcome.auditId}`);
    sendPage(
      reply,
      outcomePage(signedIn(req), `Approved ${a.action.toLowerCase().replace('_', ' ')}`, p, a.amount, outcome),
      outcome.kind === 'refused' ? 403 : 200,
    );
  }

  @Post(':id/reject')
  @AllowRoles(...MONEY_ROLES)
  async reject(@Req() req: AdminRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const a = await this.approvals.byId(id);
    const p = a ? await this.payments.findByPaymentId(a.paymentId) : null;
    if (!a || !p) throw new AdminRefusal(404, 'No such approval request.');
    await this.actions.reject({ user: signedIn(req).user, ip: clientIp(req) }, a, p);
    redirect(reply, '/admin/approvals');
  }
}
