import { createHash } from 'node:crypto';

import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { AntomError } from '../../antom/antom-error';
import { AuditService } from '../../audit/audit.service';
import { DEFENSE_DOCUMENT_MAX_BYTES, DisputeListRow, DisputesService, FINAL_DISPUTE_STATUSES } from '../../operations/disputes.service';
import { Actor, newRequestId, PaymentActionsService } from '../actions/payment-actions.service';
import { AdminGuard } from '../auth/admin.guard';
import { AllowRoles, MONEY_ROLES, READ_ROLES } from '../auth/roles';
import { AdminExceptionFilter } from '../http/admin-exception.filter';
import { AcceptsUpload, AdminRefusal, AdminRequest, clientIp, formOf, redirect, sendPage, signedIn } from '../http/admin-http';
import { AdminPayment, AdminPaymentsService } from '../payments/admin-payments.service';
import { outcomePage } from '../views/actions.view';
import { acceptConfirmPage, disputesListPage, parseDisputeFilters } from '../views/disputes.view';

/**
 * Disputes in the console: the list, and an operator's acceptance (a money action: roles, role limit,
 * four-eyes and audit as for a refund, by PaymentActionsService) or defence upload (moves no money, so no
 * second person — like a cancel — and the document is never kept to wait for one; role and audit apply).
 */
@Controller('admin/disputes')
@UseGuards(AdminGuard)
@UseFilters(AdminExceptionFilter)
export class AdminDisputesController {
  constructor(
    private readonly disputes: DisputesService,
    private readonly payments: AdminPaymentsService,
    private readonly actions: PaymentActionsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @AllowRoles(...READ_ROLES)
  async list(@Req() req: AdminRequest, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const f = parseDisputeFilters(query);
    const rows = f.errors.length ? [] : await this.disputes.list({ status: f.statuses, merchantClientId: f.merchant || undefined, limit: 200 });
    sendPage(reply, disputesListPage(signedIn(req), f, rows), f.errors.length ? 400 : 200);
  }

  @Post(':disputeId/accept/confirm')
  @AllowRoles(...MONEY_ROLES)
  async confirmAccept(@Req() req: AdminRequest, @Param('disputeId') disputeId: string, @Res() reply: FastifyReply) {
    const { d, p, amount } = await this.acceptable(disputeId);
    sendPage(
      reply,
      acceptConfirmPage(
        signedIn(req),
        d,
        amount,
        newRequestId('ACCEPT_DISPUTE'),
        await this.actions.fourEyesPreview(signedIn(req).user.id, 'ACCEPT_DISPUTE', p, amount),
      ),
    );
  }

  @Post(':disputeId/accept')
  @AllowRoles(...MONEY_ROLES)
  async accept(@Req() req: AdminRequest, @Param('disputeId') disputeId: string, @Res() reply: FastifyReply) {
    const { d, p, amount } = await this.acceptable(disputeId);
    if (formOf(req).get('amountMinor') !== amount.toString())
      throw new AdminRefusal(400, 'The confirmation form is damaged or the dispute changed; start again from the payment page.');
    const outcome = await this.actions.request(this.actor(req), 'ACCEPT_DISPUTE', p, amount, formOf(req).get('requestId') ?? '', {
      disputeId: d.disputeId,
    });
    if (outcome.kind !== 'refused' && outcome.auditId) return redirect(reply, `/admin/payments/${p.paymentId}/results/${outcome.auditId}`);
    sendPage(reply, outcomePage(signedIn(req), 'Accept dispute', p, amount, outcome), outcome.kind === 'refused' ? 403 : 200);
  }

  @Post(':disputeId/defense')
  @AllowRoles(...MONEY_ROLES)
  @AcceptsUpload(DEFENSE_DOCUMENT_MAX_BYTES)
  async defend(@Req() req: AdminRequest, @Param('disputeId') disputeId: string, @Res() reply: FastifyReply) {
    const { d, p } = await this.load(disputeId);
    if (!req.upload || req.upload.data.length === 0) throw new AdminRefusal(400, 'Choose the defence document (PDF or Word) to upload.');
    const u = signedIn(req).user;
    let response: Record<string, unknown>;
    try {
      response = await this.disputes.supply(d.merchantId, d.disputeId, req.upload.data.toString('base64'), { by: 'operator', user: u.username });
    } catch (e) {
      if (!(e instanceof AntomError)) throw e;
      response = { result: e.result };
    }
    const status = (response.result as { resultStatus?: string }).resultStatus;
    const row = await this.audit.append({
      actorId: u.id,
      actor: `admin:${u.username}`,
      action: 'SUPPLY_DEFENSE',
      target: p.paymentId,
      ip: clientIp(req),
      outcome: status === 'S' ? 'SUCCESS' : status === 'F' ? 'FAILURE' : 'UNKNOWN',
      detail: {
        disputeId: d.disputeId,
        bytes: req.upload.data.length,
        sha256: createHash('sha256').update(req.upload.data).digest('hex'),
        result: response.result,
      },
    });
    redirect(reply, `/admin/payments/${p.paymentId}/results/${row.id}`);
  }

  /** The dispute, its payment, and the amount an acceptance concedes (the acquirer's, in the payment's currency). */
  private async acceptable(disputeId: string): Promise<{ d: DisputeListRow; p: AdminPayment; amount: bigint }> {
    const { d, p } = await this.load(disputeId);
    if (FINAL_DISPUTE_STATUSES.includes(d.status) || d.status === 'ACCEPTED')
      throw new AdminRefusal(409, `The dispute is ${d.status}; there is nothing to accept.`);
    if (d.amount === null || d.currency !== p.currency)
      throw new AdminRefusal(409, "The acquirer has not given this dispute an amount in the payment's currency; accept it through the API.");
    return { d, p, amount: d.amount };
  }

  private async load(disputeId: string): Promise<{ d: DisputeListRow; p: AdminPayment }> {
    const d = await this.disputes.byDisputeId(disputeId);
    const p = d ? await this.payments.findByPaymentId(d.paymentId) : null;
    if (!d || !p) throw new AdminRefusal(404, 'No dispute with this id.');
    return { d, p };
  }

  private actor(req: AdminRequest): Actor {
    return { user: signedIn(req).user, ip: clientIp(req) };
  }
}
