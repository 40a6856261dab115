import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';

import { AntomError } from '../../antom/antom-error';
import { AuditOutcome, AuditService } from '../../audit/audit.service';
import { MerchantsService } from '../../merchants/merchants.service';
import { CaptureService } from '../../operations/capture.service';
import { DisputesService } from '../../operations/disputes.service';
import { LOGGER } from '../../platform/logging/logger.tokens';
import { AdminSettings } from '../admin-settings';
import { AdminUser } from '../auth/admin-users.service';
import { MONEY_ROLES } from '../auth/roles';
import { AdminPayment } from '../payments/admin-payments.service';
import { formatMoney } from '../payments/money';
import type { ActionOutcome } from './action-outcome';
import { ActionResultsService } from './action-results.service';
import { amountRefusal } from './amount-check';
import { ACTION_WORDS, ApprovalRequest, ApprovalsService, MoneyAction } from './approvals.service';
import { approverRoleRefusal } from './approver-eligibility.service';
import { logConsoleAction } from './console-action-log';
import { CumulativeControlsService } from './cumulative-controls.service';
import { RoleLimitsService } from './role-limits.service';

export interface Actor {
  user: AdminUser;
  ip: string;
}

/** What an action carries besides its amount: capture's last flag, refund's reason, the dispute accepted. */
export interface ActionParams {
  isLastCapture?: boolean;
  refundReason?: string;
  disputeId?: string;
}

export type { ActionOutcome, MoneyActionAnswer } from './action-outcome';
import type { MoneyActionAnswer } from './action-outcome';

const DAMAGED_FORM = 'The confirmation form is damaged; start again from the payment page.';
const REQUEST_ID: Record<MoneyAction, RegExp> = {
  CAPTURE: /^adm_cap_[0-9a-f]{32}$/,
  REFUND: /^adm_ref_[0-9a-f]{32}$/,
  ACCEPT_DISPUTE: /^adm_dsp_[0-9a-f]{32}$/,
};
const REQUEST_PREFIX: Record<MoneyAction, string> = { CAPTURE: 'cap', REFUND: 'ref', ACCEPT_DISPUTE: 'dsp' };

/** A fresh request id for a confirmation form: submitting that form twice repeats, never doubles, the action. */
export function newRequestId(action: MoneyAction): string {
  return `adm_${REQUEST_PREFIX[action]}_${randomUUID().replace(/-/g, '')}`;
}

/**
 * Every money-moving click goes through here: role, per-role limit, four-eyes threshold, then the
 * lifecycle service with the form's request id. Each attempt, refused or not, lands in the audit log.
 */
@Injectable()
export class PaymentActionsService {
  constructor(
    private readonly capture: CaptureService,
    private readonly merchants: MerchantsService,
    private readonly approvals: ApprovalsService,
    private readonly limits: RoleLimitsService,
    private readonly settings: AdminSettings,
    private readonly audit: AuditService,
    private readonly results: ActionResultsService,
    private readonly cumulative: CumulativeControlsService,
    private readonly disputes: DisputesService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Capture or refund as asked by `actor`: executed now, or parked for a second person above the threshold. */
  async request(
    actor: Actor,
    action: MoneyAction,
    p: AdminPayment,
    amount: bigint,
    requestId: string,
    params: ActionParams = {},
  ): Promise<ActionOutcome> {
    return this.cumulative.serialized(p.currency, () => this.requestSerialized(actor, action, p, amount, requestId, params));
  }

  private async requestSerialized(
    actor: Actor,
    action: MoneyAction,
    p: AdminPayment,
    amount: bigint,
    requestId: string,
    params: ActionParams,
  ): Promise<ActionOutcome> {
    const previous = await this.approvals.byRequestId(requestId);
    if (previous && previous.paymentUuid === p.id && previous.requestedBy === actor.user.id && previous.action === action)
      return this.resubmitted(action, p, previous);
    const circle = await this.cumulative.circle(actor.user.id);
    const fourEyes = await this.fourEyesReason(circle, action, p, amount);
    // An impossible amount must not wait for a second person; below the threshold the lifecycle service refuses it.
    const refusal =
      (previous ? DAMAGED_FORM : null) ??
      (await this.refusal(actor, action, p, amount, requestId, circle)) ??
      (fourEyes ? amountRefusal(action, p, amount) : null);
    const base = {
      action,
      paymentId: p.paymentId,
      amount,
      currency: p.currency,
      requestId,
      ...(params.disputeId ? { disputeId: params.disputeId } : {}),
    };
    if (refusal) {
      const row = await this.record(actor, action, p, 'DENIED', { ...base, reason: refusal });
      return { kind: 'refused', reason: refusal, auditId: row.id };
    }
    if (fourEyes) {
      const approval = await this.approvals.request({
        action,
        paymentUuid: p.id,
        currency: p.currency,
        amount,
        requestId,
        params: { ...params },
        requestedBy: actor.user.id,
      });
      const row = await this.record(actor, `REQUEST_${action}`, p, 'PENDING', {
        ...base,
        approvalId: approval.id,
        threshold: fourEyes.threshold,
        why: fourEyes.why,
      });
      return { kind: 'needs-approval', approval, auditId: row.id };
    }
    const response = await this.execute(action, p, amount, requestId, params, actor);
    const row = await this.record(actor, action, p, outcomeOf(response), {
      ...base,
      result: response.result,
      ...(response.captureId ? { captureId: response.captureId } : {}),
      ...(response.refundId ? { refundId: response.refundId } : {}),
    });
    return { kind: 'done', status: statusOf(response), response, auditId: row.id };
  }

  /** For the confirmation page: why the action will wait for a second person, or null. */
  async fourEyesPreview(userId: string, action: MoneyAction, p: AdminPayment, amount: bigint): Promise<string | null> {
    return (await this.fourEyesReason(await this.cumulative.circle(userId), action, p, amount))?.why ?? null;
  }

  /**
   * Whether a second person must approve: the amount alone, or with what the requester (and the accounts that
   * might be them) already captured — or refunded — on this payment, or in this currency over 24 hours, without
   * approval, goes above the threshold. Captures and refunds are counted apart.
   */
  async fourEyesReason(circle: string[], action: MoneyAction, p: AdminPayment, amount: bigint): Promise<{ threshold: bigint; why: string } | null> {
    const verb = ACTION_WORDS[action].done;
    const threshold = this.settings.fourEyesThreshold(p.currency);
    if (threshold !== null) {
      if (amount > threshold)
        return { threshold, why: `${formatMoney(amount, p.currency)} is above the four-eyes threshold of ${formatMoney(threshold, p.currency)}.` };
      const before = await this.cumulative.unapprovedOnPayment(circle, action, p.paymentId);
      if (before + amount > threshold) {
        return {
          threshold,
          why: `With the ${formatMoney(before, p.currency)} you (or an account you created or reset, or that set your password) already ${verb} on this payment without approval, ${formatMoney(before + amount, p.currency)} is above the four-eyes threshold of ${formatMoney(threshold, p.currency)}.`,
        };
      }
    }
    const daily = this.settings.fourEyesDailyThreshold(p.currency);
    if (daily !== null) {
      const day = await this.cumulative.unapprovedLastDay(circle, action, p.currency);
      if (day + amount > daily) {
        return {
          threshold: daily,
          why: `With the ${formatMoney(day, p.currency)} you (or an account you created or reset, or that set your password) ${verb} in the last 24 hours without approval, ${formatMoney(day + amount, p.currency)} is above the daily four-eyes threshold of ${formatMoney(daily, p.currency)}.`,
        };
      }
    }
    return null;
  }

  /** The same confirmation sent again (back button, double click): the request it already made, not a second audit entry. */
  private async resubmitted(action: MoneyAction, p: AdminPayment, approval: ApprovalRequest): Promise<ActionOutcome> {
    const auditId = await this.results.requestAuditId(action, p.paymentId, approval.requestId);
    return { kind: 'needs-approval', approval, ...(auditId ? { auditId } : {}) };
  }

  /**
   * The second person: not the requester, nor anyone in the requester's creation chain up or down (who may know
   * the requester's password, or whose password the requester may know: creation-chain.ts states the rule), and
   * the amount within the approver's own role limit (per request: the money counts against the requester's daily
   * total, not the approver's). The database refuses the requester too.
   */
  async approve(actor: Actor, approvalId: string, p: AdminPayment): Promise<ActionOutcome> {
    return this.cumulative.serialized(p.currency, () => this.approveSerialized(actor, approvalId, p));
  }

  private async approveSerialized(actor: Actor, approvalId: string, p: AdminPayment): Promise<ActionOutcome> {
    const pending = await this.approvals.byId(approvalId);
    if (!pending) return { kind: 'refused', reason: 'No such approval request.' };
    const refusal =
      (await this.cumulative.approverLink(pending.requestedBy, actor.user.id, pending.requestedAt)) ??
      (await this.approverRefusal(actor, pending.action, p, pending.amount));
    const base = {
      action: pending.action,
      approvalId,
      amount: pending.amount,
      currency: pending.currency,
      requestId: pending.requestId,
      requestedBy: pending.requestedByName,
    };
    const claimed = refusal ? null : await this.approvals.claim(approvalId, actor.user.id);
    if (!claimed) {
      const reason =
        refusal ?? (pending.expired ? 'The request expired; ask again.' : `The request is ${pending.status.toLowerCase()}, not pending.`);
      const row = await this.record(actor, `APPROVE_${pending.action}`, p, 'DENIED', { ...base, reason });
      return { kind: 'refused', reason, auditId: row.id };
    }
    const response = await this.execute(claimed.action, p, claimed.amount, claimed.requestId, claimed.params, actor);
    const status = statusOf(response);
    await this.approvals.finish(approvalId, status === 'S' ? 'EXECUTED' : status === 'F' ? 'FAILED' : 'UNKNOWN', { result: response.result });
    const row = await this.record(actor, `APPROVE_${claimed.action}`, p, outcomeOf(response), { ...base, result: response.result });
    return { kind: 'done', status, response, auditId: row.id };
  }

  private async approverRefusal(actor: Actor, action: MoneyAction, p: AdminPayment, amount: bigint): Promise<string | null> {
    const limit = MONEY_ROLES.includes(actor.user.role) ? await this.limits.maxFor(actor.user.role, p.currency) : null;
    return approverRoleRefusal(actor.user.role, limit, action, amount, p.currency);
  }

  async reject(actor: Actor, approval: ApprovalRequest, p: AdminPayment): Promise<boolean> {
    const ok = MONEY_ROLES.includes(actor.user.role) && (await this.approvals.reject(approval.id, actor.user.id));
    await this.record(actor, `REJECT_${approval.action}`, p, ok ? 'SUCCESS' : 'DENIED', {
      approvalId: approval.id,
      amount: approval.amount,
      currency: approval.currency,
    });
    return ok;
  }

  /** Cancel (void) moves no money, so it needs no second person. */
  async cancel(actor: Actor, p: AdminPayment): Promise<ActionOutcome> {
    if (!MONEY_ROLES.includes(actor.user.role)) {
      const row = await this.record(actor, 'CANCEL', p, 'DENIED', { reason: 'role' });
      return { kind: 'refused', reason: 'Your role may not cancel payments.', auditId: row.id };
    }
    const response = await this.call(async (m) => this.capture.cancel(m, { paymentId: p.paymentId }), p);
    const row = await this.record(actor, 'CANCEL', p, outcomeOf(response), {
      paymentId: p.paymentId,
      amount: p.authorizedAmount - p.capturedAmount,
      currency: p.currency,
      result: response.result,
    });
    return { kind: 'done', status: statusOf(response), response, auditId: row.id };
  }

  /** Role, form and the role limit, which counts what the person (circle) moved or asked for in 24 hours. */
  private async refusal(
    actor: Actor,
    action: MoneyAction,
    p: AdminPayment,
    amount: bigint,
    requestId: string,
    circle: string[],
  ): Promise<string | null> {
    if (!MONEY_ROLES.includes(actor.user.role)) return `Your role (${actor.user.role}) may not ${ACTION_WORDS[action].verb}.`;
    if (!REQUEST_ID[action].test(requestId)) return DAMAGED_FORM;
    if (amount <= 0n) return 'The amount must be more than zero.';
    const limit = await this.limits.maxFor(actor.user.role, p.currency);
    if (limit === null) return null;
    if (amount > limit) return `${formatMoney(amount, p.currency)} is above your role's limit of ${formatMoney(limit, p.currency)}.`;
    const before = await this.cumulative.askedLastDay(circle, action, p.currency);
    if (before + amount > limit) {
      return `With the ${formatMoney(before, p.currency)} you (or an account you created or reset, or that set your password) ${ACTION_WORDS[action].done} or asked for in the last 24 hours, ${formatMoney(before + amount, p.currency)} is above your role's limit of ${formatMoney(limit, p.currency)} per 24 hours.`;
    }
    return null;
  }

  private execute(
    action: MoneyAction,
    p: AdminPayment,
    amount: bigint,
    requestId: string,
    params: { isLastCapture?: unknown; refundReason?: unknown; disputeId?: unknown },
    actor: Actor,
  ): Promise<MoneyActionAnswer> {
    if (action === 'ACCEPT_DISPUTE')
      return this.call(async (m) => this.disputes.accept(m.id, String(params.disputeId), { by: 'operator', user: actor.user.username }), p);
    const money = { currency: p.currency, value: amount.toString() };
    return this.call(
      async (m) =>
        action === 'CAPTURE'
          ? this.capture.capture(m, {
              captureRequestId: requestId,
              paymentId: p.paymentId,
              captureAmount: money,
              isLastCapture: params.isLastCapture === true,
            })
          : this.capture.refund(m, {
              refundRequestId: requestId,
              paymentId: p.paymentId,
              refundAmount: money,
              ...(typeof params.refundReason === 'string' && params.refundReason ? { refundReason: params.refundReason } : {}),
            }),
      p,
    );
  }

  /** Business refusals arrive as AntomError: shown as the result, like the merchant would see it. */
  private async call(
    fn: (m: NonNullable<Awaited<ReturnType<MerchantsService['findById']>>>) => Promise<MoneyActionAnswer>,
    p: AdminPayment,
  ): Promise<MoneyActionAnswer> {
    const merchant = await this.merchants.findById(p.merchantId);
    if (!merchant) return { result: { resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST', resultMessage: "The payment's merchant no longer exists." } };
    try {
      return await fn(merchant);
    } catch (e) {
      if (e instanceof AntomError) return { result: e.result, ...e.extra };
      throw e;
    }
  }

  /** The audit entry, and beside it the action's one log line (console-action-log.ts). */
  private async record(actor: Actor, action: string, p: AdminPayment, outcome: AuditOutcome, detail: Record<string, unknown>) {
    const row = await this.audit.append({
      actorId: actor.user.id,
      actor: `admin:${actor.user.username}`,
      action,
      target: p.paymentId,
      ip: actor.ip,
      outcome,
      detail,
    });
    const result = detail.result as { resultCode?: unknown } | undefined;
    logConsoleAction(this.logger, {
      action,
      admin: actor.user.username,
      paymentId: p.paymentId,
      paymentRequestId: p.paymentRequestId,
      amount: typeof detail.amount === 'bigint' ? detail.amount : null,
      currency: typeof detail.currency === 'string' ? detail.currency : p.currency,
      outcome,
      auditId: row.id,
      resultCode: typeof result?.resultCode === 'string' ? result.resultCode : null,
    });
    return row;
  }
}

function statusOf(response: MoneyActionAnswer): 'S' | 'F' | 'U' {
  const s = response.result?.resultStatus;
  return s === 'S' || s === 'F' ? s : 'U';
}

function outcomeOf(response: MoneyActionAnswer): AuditOutcome {
  return { S: 'SUCCESS', F: 'FAILURE', U: 'UNKNOWN' }[statusOf(response)] as AuditOutcome;
}
