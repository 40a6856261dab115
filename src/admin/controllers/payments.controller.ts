import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { shownBin } from '../../antom/card-mask';
import { containsCardNumber } from '../../antom/pan-runs';
import { AuditService } from '../../audit/audit.service';
import { DisputeListRow, DisputesService } from '../../operations/disputes.service';
import { ActionResultsService } from '../actions/action-results.service';
import { amountRefusal } from '../actions/amount-check';
import { ApprovalsService, MoneyAction } from '../actions/approvals.service';
import { ActionOutcome, Actor, newRequestId, PaymentActionsService } from '../actions/payment-actions.service';
import { AdminGuard } from '../auth/admin.guard';
import { AllowRoles, MONEY_ROLES, READ_ROLES } from '../auth/roles';
import { csvLine, csvTime, sendCsv } from '../export/csv';
import { AdminExceptionFilter } from '../http/admin-exception.filter';
import { AdminRefusal, AdminRequest, clientIp, formOf, redirect, sendPage, signedIn } from '../http/admin-http';
import { AdminPayment, AdminPaymentsService } from '../payments/admin-payments.service';
import { disputeStanding, refundWarning } from '../payments/dispute-standing';
import { FailingNotificationsService } from '../payments/failing-notifications.service';
import { parseAmount } from '../payments/money';
import { formatMinor } from '../payments/money';
import { AdminNotificationsService } from '../payments/notifications.service';
import { parseFilters } from '../payments/payment-filters';
import { bulkConfirmPage, bulkResultPage, confirmPage, outcomePage } from '../views/actions.view';
import { FormError, paymentDetailPage, paymentsListPage } from '../views/payments.view';

const MAX_BULK = 100;
const NO_PAGES = { next: null, prev: null };

/** The payments list, the detail page, and the money actions (each: form → confirmation → execution). */
@Controller('admin/payments')
@UseGuards(AdminGuard)
@UseFilters(AdminExceptionFilter)
export class AdminPaymentsController {
  constructor(
    private readonly payments: AdminPaymentsService,
    private readonly notifications: AdminNotificationsService,
    private readonly approvals: ApprovalsService,
    private readonly actions: PaymentActionsService,
    private readonly audit: AuditService,
    private readonly results: ActionResultsService,
    private readonly disputes: DisputesService,
    private readonly failing: FailingNotificationsService,
  ) {}

  @Get()
  @AllowRoles(...READ_ROLES)
  async list(@Req() req: AdminRequest, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const f = parseFilters(query);
    // A refused filter answers 400 with the reasons, and searches nothing; what was refused is not repeated.
    if (f.errors.length) return sendPage(reply, paymentsListPage(signedIn(req), f, [], NO_PAGES, null), 400);
    const { rows, pager, totals } = await this.payments.list(f);
    sendPage(reply, paymentsListPage(signedIn(req), f, rows, pager, totals));
  }

  /**
   * The list's current filter as CSV, streamed: masked card only (brand, BIN, last 4), amounts in major
   * units (a point, no grouping), times in UTC. Audited like an action: who exported what filter.
   */
  @Get('export.csv')
  @AllowRoles(...READ_ROLES)
  async exportCsv(@Req() req: AdminRequest, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const f = parseFilters(query);
    if (f.errors.length) return sendPage(reply, paymentsListPage(signedIn(req), f, [], NO_PAGES, null), 400);
    // The export is the whole match from the start, whatever page the list showed.
    const all = { ...f, after: undefined, before: undefined };
    const totals = await this.payments.totals(all);
    const u = signedIn(req).user;
    const filters: Record<string, string> = { ...f.raw, ...(f.statuses.length ? { status: f.statuses.join(',') } : {}) };
    delete filters.after;
    delete filters.before;
    await this.audit.append({
      actorId: u.id,
      actor: `admin:${u.username}`,
      action: 'EXPORT_PAYMENTS',
      target: null,
      ip: clientIp(req),
      outcome: 'SUCCESS',
      // The count is exact up to COUNT_CAP; past it the entry says so ("10000+").
      detail: { filters, rows: totals.capped ? `${totals.count}+` : totals.count },
    });
    const major = (minor: bigint, currency: string) => formatMinor(minor, currency).replace(/,/g, '');
    const payments = this.payments;
    async function* lines() {
      for await (const p of payments.allMatching(all)) {
        yield csvLine([
          p.paymentId,
          p.paymentRequestId,
          csvTime(p.createdAt),
          p.merchantClientId,
          p.merchantName,
          p.status,
          p.captureMode,
          p.currency,
          major(p.amount, p.currency),
          major(p.authorizedAmount, p.currency),
          major(p.capturedAmount, p.currency),
          major(p.refundedAmount, p.currency),
          p.cardBrand,
          p.cardBin ? shownBin(p.cardBin) : '',
          p.cardLast4,
          p.referenceOrderId,
          p.upstreamPaymentId,
          p.resultCode,
          csvTime(p.authExpiryTime),
          csvTime(p.paymentTime),
        ]);
      }
    }
    sendCsv(
      reply,
      'payments',
      [
        'payment_id',
        'payment_request_id',
        'created_at_utc',
        'merchant_client_id',
        'merchant_name',
        'status',
        'capture_mode',
        'currency',
        'amount',
        'authorized',
        'captured',
        'refunded',
        'card_brand',
        'card_bin',
        'card_last4',
        'reference_order_id',
        'antom_payment_id',
        'result_code',
        'auth_expiry_utc',
        'payment_time_utc',
      ],
      lines(),
    );
  }

  @Post('bulk-capture/confirm')
  @AllowRoles(...MONEY_ROLES)
  async bulkConfirm(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const ids = formOf(req).getAll('paymentId').slice(0, MAX_BULK);
    const found = (await this.payments.findManyByPaymentId(ids)).filter((p) => p.capturable > 0n);
    if (found.length === 0) throw new AdminRefusal(400, 'Select at least one payment that can still be captured.');
    const items = [];
    for (const p of found)
      items.push({
        p,
        requestId: newRequestId('CAPTURE'),
        fourEyes: (await this.actions.fourEyesPreview(signedIn(req).user.id, 'CAPTURE', p, p.capturable)) !== null,
      });
    sendPage(reply, bulkConfirmPage(signedIn(req), items));
  }

  @Post('bulk-capture')
  @AllowRoles(...MONEY_ROLES)
  async bulkCapture(@Req() req: AdminRequest, @Res() reply: FastifyReply) {
    const items = formOf(req)
      .getAll('item')
      .slice(0, MAX_BULK)
      .map((s) => s.split('|'))
      .filter((a) => a.length === 3 && /^\d{1,18}$/.test(a[1]));
    const byId = new Map((await this.payments.findManyByPaymentId(items.map((i) => i[0]))).map((p) => [p.paymentId, p]));
    const auditIds: string[] = [];
    for (const [paymentId, amount, requestId] of items) {
      const p = byId.get(paymentId);
      if (!p) continue;
      // A full capture closes the authorization; an amount changed in transit only captures that much.
      const isLastCapture = BigInt(amount) === p.capturable;
      const outcome = await this.actions.request(this.actor(req), 'CAPTURE', p, BigInt(amount), requestId, { isLastCapture });
      if (outcome.auditId) auditIds.push(outcome.auditId);
    }
    redirect(reply, `/admin/payments/bulk-capture/results?ids=${auditIds.join(',')}`);
  }

  /** After the redirect: read back from the audit entries, so a reload shows the results and repeats nothing. */
  @Get('bulk-capture/results')
  @AllowRoles(...READ_ROLES)
  async bulkResults(@Req() req: AdminRequest, @Query('ids') ids: unknown, @Res() reply: FastifyReply) {
    const results = await this.results.load(typeof ids === 'string' ? ids.split(',') : [], signedIn(req).user.id);
    const byId = new Map((await this.payments.findManyByPaymentId(results.map((r) => r.paymentId))).map((p) => [p.paymentId, p]));
    sendPage(
      reply,
      bulkResultPage(
        signedIn(req),
        results.flatMap((r) => {
          const p = byId.get(r.paymentId);
          return p ? [{ p, amount: r.amount ?? 0n, outcome: r.outcome }] : [];
        }),
      ),
    );
  }

  @Get(':paymentId/results/:auditId')
  @AllowRoles(...READ_ROLES)
  async result(@Req() req: AdminRequest, @Param('paymentId') paymentId: string, @Param('auditId') auditId: string, @Res() reply: FastifyReply) {
    const p = await this.load(paymentId);
    const [r] = await this.results.load([auditId], signedIn(req).user.id);
    if (!r || r.paymentId !== p.paymentId) throw new AdminRefusal(404, 'No such result.');
    sendPage(reply, outcomePage(signedIn(req), r.verb, p, r.amount, r.outcome), r.outcome.kind === 'refused' ? 403 : 200);
  }

  @Get(':paymentId')
  @AllowRoles(...READ_ROLES)
  async detail(@Req() req: AdminRequest, @Param('paymentId') paymentId: string, @Res() reply: FastifyReply) {
    await this.detailPage(req, reply, await this.load(paymentId));
  }

  /** The payment page; with `form`, a capture or refund form sent back with its error at the field (400). */
  private async detailPage(req: AdminRequest, reply: FastifyReply, p: AdminPayment, form?: FormError, disputes?: DisputeListRow[]) {
    const [timeline, notifications, approvals, audit, operations, allDisputes] = await Promise.all([
      this.payments.timeline(p.id),
      this.notifications.forPayment(p.id),
      this.approvals.list({ paymentUuid: p.id }),
      this.audit.recent({ target: p.paymentId, limit: 100 }),
      this.payments.operations(p.id),
      disputes ?? this.disputes.list({ paymentUuid: p.id, limit: 50 }),
    ]);
    const data = { p, timeline, notifications, approvals, audit, operations, disputes: allDisputes, ...(form ? { form } : {}) };
    sendPage(reply, paymentDetailPage(signedIn(req), data), form ? 400 : 200);
  }

  @Post(':paymentId/:action/confirm')
  @AllowRoles(...MONEY_ROLES)
  async confirm(@Req() req: AdminRequest, @Param('paymentId') paymentId: string, @Param('action') action: string, @Res() reply: FastifyReply) {
    const p = await this.load(paymentId);
    const form = formOf(req);
    if (action === 'cancel')
      return sendPage(reply, confirmPage(signedIn(req), { verb: 'Cancel', p, amount: p.authorizedAmount - p.capturedAmount, fourEyes: false }));
    const kind = moneyAction(action);
    const parsed = parseAmount(form.get('amount') ?? '', p.currency);
    const amount = parsed.ok ? parsed.minor : null;
    // A refund on a disputed or charged-back payment may pay the buyer twice: only with the box ticked on purpose.
    const disputes = kind === 'REFUND' ? await this.disputes.list({ paymentUuid: p.id, limit: 50 }) : [];
    const standing = disputeStanding(disputes);
    const refusal =
      (parsed.ok ? amountRefusal(kind, p, parsed.minor) : parsed.error) ||
      (standing && form.get('disputeAck') !== 'yes' ? `${refundWarning(standing)} Tick the box to confirm you mean it.` : null);
    if (refusal || amount === null) {
      // Back to the payment page with the error at the field and what was typed kept — not a separate error page.
      // Never a value holding a card number (typed into the wrong field, it happens) back into a page.
      const fields = Object.fromEntries(
        ['amount', 'refundReason', 'isLastCapture']
          .map((k) => [k, (form.get(k) ?? '').slice(0, 256)])
          .map(([k, v]) => [k, containsCardNumber(v) ? '' : v]),
      );
      return this.detailPage(
        req,
        reply,
        p,
        { action: kind === 'CAPTURE' ? 'capture' : 'refund', error: refusal ?? '', fields },
        disputes.length ? disputes : undefined,
      );
    }
    const extra: Record<string, string> =
      kind === 'CAPTURE'
        ? { isLastCapture: form.get('isLastCapture') === 'true' ? 'true' : 'false' }
        : { refundReason: (form.get('refundReason') ?? '').slice(0, 256) };
    const warning = standing ? refundWarning(standing) : undefined;
    sendPage(
      reply,
      confirmPage(signedIn(req), {
        verb: kind === 'CAPTURE' ? 'Capture' : 'Refund',
        p,
        amount,
        requestId: newRequestId(kind),
        extra,
        fourEyes: await this.actions.fourEyesPreview(signedIn(req).user.id, kind, p, amount),
        ...(warning ? { warning } : {}),
      }),
    );
  }

  @Post(':paymentId/cancel')
  @AllowRoles(...MONEY_ROLES)
  async cancel(@Req() req: AdminRequest, @Param('paymentId') paymentId: string, @Res() reply: FastifyReply) {
    const p = await this.load(paymentId);
    this.respond(req, reply, 'Cancel', p, null, await this.actions.cancel(this.actor(req), p));
  }

  @Post(':paymentId/:action')
  @AllowRoles(...MONEY_ROLES)
  async execute(@Req() req: AdminRequest, @Param('paymentId') paymentId: string, @Param('action') action: string, @Res() reply: FastifyReply) {
    const kind = moneyAction(action);
    const p = await this.load(paymentId);
    const form = formOf(req);
    const raw = form.get('amountMinor') ?? '';
    if (!/^\d{1,18}$/.test(raw) || form.get('currency') !== p.currency)
      throw new AdminRefusal(400, 'The confirmation form is damaged; start again from the payment page.');
    const amount = BigInt(raw);
    const params =
      kind === 'CAPTURE' ? { isLastCapture: form.get('isLastCapture') === 'true' } : { refundReason: form.get('refundReason') ?? undefined };
    const outcome = await this.actions.request(this.actor(req), kind, p, amount, form.get('requestId') ?? '', params);
    this.respond(req, reply, kind === 'CAPTURE' ? 'Capture' : 'Refund', p, amount, outcome);
  }

  /** Post/redirect/get: a reload of the result page must not post the action again. Refusals answer in place. */
  private respond(req: AdminRequest, reply: FastifyReply, verb: string, p: AdminPayment, amount: bigint | null, outcome: ActionOutcome) {
    if (outcome.kind !== 'refused' && outcome.auditId) return redirect(reply, `/admin/payments/${p.paymentId}/results/${outcome.auditId}`);
    sendPage(reply, outcomePage(signedIn(req), verb, p, amount, outcome), outcome.kind === 'refused' ? 403 : 200);
  }

  @Post(':paymentId/notifications/:notificationId/retry')
  @AllowRoles(...MONEY_ROLES)
  async retryNotification(
    @Req() req: AdminRequest,
    @Param('paymentId') paymentId: string,
    @Param('notificationId') id: string,
    @Res() reply: FastifyReply,
  ) {
    const p = await this.load(paymentId);
    // The console-wide page's path (audit RETRY_NOTIFICATION, one log line); the payment page links to its confirmation.
    await this.failing.retry(this.actor(req), { id, paymentUuid: p.id, paymentId: p.paymentId, paymentRequestId: p.paymentRequestId });
    redirect(reply, `/admin/payments/${p.paymentId}`);
  }

  private async load(paymentId: string): Promise<AdminPayment> {
    const p = /^[A-Za-z0-9_-]{1,64}$/.test(paymentId) ? await this.payments.findByPaymentId(paymentId) : null;
    if (!p) throw new AdminRefusal(404, 'No payment with this id.');
    return p;
  }

  private actor(req: AdminRequest): Actor {
    return { user: signedIn(req).user, ip: clientIp(req) };
  }
}

function moneyAction(action: string): MoneyAction {
  if (action === 'capture') return 'CAPTURE';
  if (action === 'refund') return 'REFUND';
  throw new AdminRefusal(404, 'No such action.');
}
