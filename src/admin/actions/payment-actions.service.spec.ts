import { mock } from 'jest-mock-extended';
import type { Logger } from 'pino';

import { AntomError } from '../../antom/antom-error';
import { CaptureAnswer } from '../../antom/wire';
import { result } from '../../antom/wire/answers.fakes';
import { AuditEntry, AuditService } from '../../audit/audit.service';
import { MerchantIdentity, MerchantsService } from '../../merchants/merchants.service';
import { CaptureService } from '../../operations/capture.service';
import { DisputesService } from '../../operations/disputes.service';
import { anActor, anAdminPayment, anApprovalRow, anAuditRow, UUID } from '../admin.fakes';
import { AdminSettings } from '../admin-settings';
import { AdminRole } from '../auth/roles';
import { ActionResultsService } from './action-results.service';
import { ApprovalRequest, ApprovalsService } from './approvals.service';
import { CumulativeControlsService } from './cumulative-controls.service';
import { newRequestId, PaymentActionsService } from './payment-actions.service';
import { RoleLimitsService } from './role-limits.service';

const CAP = `adm_cap_${'c'.repeat(32)}`;
const REF = `adm_ref_${'e'.repeat(32)}`;
const DSP = `adm_dsp_${'d'.repeat(32)}`;
const MERCHANT: MerchantIdentity = {
  id: UUID.merchant,
  clientId: 'SHOP_1',
  status: 'ACTIVE',
  notifyUrl: null,
  keys: new Map(),
  latestKeyVersion: 1,
  avsPolicy: 'ACCEPT',
};
const S = { result: result('S', 'SUCCESS', 'success') };

/** An ApprovalRequest as ApprovalsService answers it (Bob asked to capture EUR 600.00 of gwp_1). */
function anApproval(over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const r = anApprovalRow();
  return {
    id: r.id,
    action: r.action,
    paymentUuid: r.payment_uuid,
    paymentId: r.payment_id,
    currency: r.currency,
    amount: BigInt(r.amount),
    requestId: r.request_id,
    params: r.params ?? {},
    status: r.status,
    requestedBy: r.requested_by,
    requestedByName: r.requested_by_name,
    requestedAt: r.requested_at,
    decidedBy: null,
    decidedByName: null,
    decidedAt: null,
    result: null,
    expired: false,
    ...over,
  };
}

interface Options {
  /** Four-eyes: amounts strictly above need a second person (null: none). */
  threshold?: bigint | null;
  daily?: bigint | null;
  /** The actor's role limit in the currency (null: none). */
  limit?: bigint | null;
  onPayment?: bigint;
  lastDay?: bigint;
  asked?: bigint;
  merchant?: MerchantIdentity | null;
}

function setup(o: Options = {}) {
  const capture = mock<CaptureService>();
  const merchants = mock<MerchantsService>();
  const approvals = mock<ApprovalsService>();
  const limits = mock<RoleLimitsService>();
  const settings = mock<AdminSettings>();
  const audit = mock<AuditService>();
  const results = mock<ActionResultsService>();
  const cumulative = mock<CumulativeControlsService>();
  const disputes = mock<DisputesService>();
  settings.fourEyesThreshold.mockReturnValue(o.threshold ?? null);
  settings.fourEyesDailyThreshold.mockReturnValue(o.daily ?? null);
  limits.maxFor.mockResolvedValue(o.limit ?? null);
  cumulative.serialized.mockImplementation((_currency, fn) => fn());
  cumulative.circle.mockImplementation(async (id) => [id]);
  cumulative.unapprovedOnPayment.mockResolvedValue(o.onPayment ?? 0n);
  cumulative.unapprovedLastDay.mockResolvedValue(o.lastDay ?? 0n);
  cumulative.askedLastDay.mockResolvedValue(o.asked ?? 0n);
  cumulative.approverLink.mockResolvedValue(null);
  approvals.byRequestId.mockResolvedValue(null);
  merchants.findById.mockResolvedValue(o.merchant === undefined ? MERCHANT : o.merchant);
  capture.capture.mockResolvedValue({ ...S, captureId: 'cap_1' });
  capture.refund.mockResolvedValue({ ...S, refundId: 'ref_1' });
  capture.cancel.mockResolvedValue(S);
  disputes.accept.mockResolvedValue(S);
  const written: AuditEntry[] = [];
  audit.append.mockImplementation(async (e) => {
    written.push(e);
    return anAuditRow(String(100 + written.length), { action: e.action });
  });
  const logger = mock<Logger>();
  const service = new PaymentActionsService(capture, merchants, approvals, limits, settings, audit, results, cumulative, disputes, logger);
  return { service, capture, merchants, approvals, limits, settings, audit, results, cumulative, disputes, written, logger };
}

const operator = anActor('operator');
const p = anAdminPayment();

describe('PaymentActionsService', () => {
  it('newRequestId: one per form, prefixed per action, 32 hex digits', () => {
    expect(newRequestId('CAPTURE')).toMatch(/^adm_cap_[0-9a-f]{32}$/);
    expect(newRequestId('REFUND')).toMatch(/^adm_ref_[0-9a-f]{32}$/);
    expect(newRequestId('ACCEPT_DISPUTE')).toMatch(/^adm_dsp_[0-9a-f]{32}$/);
    expect(newRequestId('CAPTURE')).not.toBe(newRequestId('CAPTURE'));
  });

  describe('request: executed now', () => {
    it("a capture within every limit moves the money with the form's request id and is audited SUCCESS", async () => {
      const t = setup({ threshold: 100_000n, limit: 100_000n });
      const out = await t.service.request(operator, 'CAPTURE', p, 6_000n, CAP, { isLastCapture: true });
      expect(t.cumulative.serialized).toHaveBeenCalledWith('EUR', expect.any(Function));
      expect(t.capture.capture).toHaveBeenCalledWith(MERCHANT, {
        captureRequestId: CAP,
        paymentId: 'gwp_1',
        captureAmount: { currency: 'EUR', value: '6000' },
        isLastCapture: true,
      });
      expect(out).toEqual({ kind: 'done', status: 'S', response: { ...S, captureId: 'cap_1' }, auditId: '101' });
      expect(t.written).toEqual([
        {
          actorId: UUID.alice,
          actor: 'admin:alice',
          action: 'CAPTURE',
          target: 'gwp_1',
          ip: '192.0.2.7',
          outcome: 'SUCCESS',
          detail: { action: 'CAPTURE', paymentId: 'gwp_1', amount: 6_000n, currency: 'EUR', requestId: CAP, result: S.result, captureId: 'cap_1' },
        },
      ]);
    });

    it('writes one log line per action: admin, payment and request ids, amount, outcome — nothing of the card', async () => {
      const t = setup();
      await t.service.request(operator, 'CAPTURE', p, 6_000n, CAP);
      expect(t.logger.info).toHaveBeenCalledTimes(1);
      const [fields, message] = t.logger.info.mock.calls[0] as unknown as [Record<string, unknown>, string];
      expect(fields).toEqual({
        event: 'console_action',
        action: 'CAPTURE',
        admin: 'alice',
        paymentId: 'gwp_1',
        paymentRequestId: 'req_1',
        amount: '6000',
        currency: 'EUR',
        outcome: 'SUCCESS',
        resultCode: 'SUCCESS',
        auditId: '101',
      });
      expect(message).toBe('console capture by alice: SUCCESS');
      expect(JSON.stringify(t.logger.info.mock.calls)).not.toMatch(/411111|1111\b/);
    });

    it('isLastCapture is false unless the form said true', async () => {
      const t = setup();
      await t.service.request(operator, 'CAPTURE', p, 1n, CAP);
      expect(t.capture.capture.mock.calls[0][1]).toMatchObject({ isLastCapture: false });
    });

    it('a refund carries its reason when one was given, and none when it was empty', async () => {
      const t = setup();
      const refundable = anAdminPayment({ status: 'SUCCEEDED', refundable: 10_000n });
      await t.service.request(operator, 'REFUND', refundable, 2_500n, REF, { refundReason: 'damaged' });
      expect(t.capture.refund).toHaveBeenLastCalledWith(MERCHANT, {
        refundRequestId: REF,
        paymentId: 'gwp_1',
        refundAmount: { currency: 'EUR', value: '2500' },
        refundReason: 'damaged',
      });
      await t.service.request(operator, 'REFUND', refundable, 2_500n, REF, { refundReason: '' });
      expect(t.capture.refund.mock.calls[1][1]).not.toHaveProperty('refundReason');
      expect(t.written[0].detail).toMatchObject({ refundId: 'ref_1' });
    });

    it('an accepted dispute goes to the disputes service as the operator, and its audit entry names the dispute', async () => {
      const t = setup();
      const out = await t.service.request(operator, 'ACCEPT_DISPUTE', p, 700n, DSP, { disputeId: 'dsp_9' });
      expect(t.disputes.accept).toHaveBeenCalledWith(UUID.merchant, 'dsp_9', { by: 'operator', user: 'alice' });
      expect(out).toMatchObject({ kind: 'done', status: 'S' });
      expect(t.written[0]).toMatchObject({ action: 'ACCEPT_DISPUTE', outcome: 'SUCCESS', detail: { disputeId: 'dsp_9', amount: 700n } });
    });

    it('amounts beyond 2^53 reach the acquirer exactly', async () => {
      const t = setup();
      const big = 9_007_199_254_740_993n;
      await t.service.request(operator, 'CAPTURE', anAdminPayment({ capturable: big }), big, CAP);
      expect(t.capture.capture.mock.calls[0][1].captureAmount).toEqual({ currency: 'EUR', value: '9007199254740993' });
    });

    it("a business refusal (AntomError) is the result, F, audited FAILURE with the acquirer's code", async () => {
      const t = setup();
      t.capture.capture.mockRejectedValue(new AntomError('CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT', undefined, { paymentId: 'gwp_1' }));
      const out = await t.service.request(operator, 'CAPTURE', p, 6_000n, CAP);
      expect(out).toMatchObject({
        kind: 'done',
        status: 'F',
        response: { result: { resultStatus: 'F', resultCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT' }, paymentId: 'gwp_1' },
      });
      expect(t.written[0]).toMatchObject({ outcome: 'FAILURE', detail: { result: { resultCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT' } } });
      expect(t.written[0].detail).not.toHaveProperty('captureId');
    });

    it('an answer that is neither S nor F is U, audited UNKNOWN', async () => {
      const t = setup();
      t.capture.capture.mockResolvedValue({ result: result('U', 'UNKNOWN_EXCEPTION') });
      expect(await t.service.request(operator, 'CAPTURE', p, 6_000n, CAP)).toMatchObject({ kind: 'done', status: 'U' });
      // Defensive: an answer without a result (the type forbids it; the service must still read it as U).
      t.capture.capture.mockResolvedValue({} as unknown as CaptureAnswer);
      expect(await t.service.request(operator, 'CAPTURE', p, 6_000n, CAP)).toMatchObject({ kind: 'done', status: 'U' });
      expect(t.written.map((e) => e.outcome)).toEqual(['UNKNOWN', 'UNKNOWN']);
    });

    it("the payment's merchant gone: F ORDER_NOT_EXIST, nothing sent upstream", async () => {
      const t = setup({ merchant: null });
      const out = await t.service.request(operator, 'CAPTURE', p, 6_000n, CAP);
      expect(out).toMatchObject({ kind: 'done', status: 'F', response: { result: { resultCode: 'ORDER_NOT_EXIST' } } });
      expect(t.capture.capture).not.toHaveBeenCalled();
      expect(t.written[0].outcome).toBe('FAILURE');
    });

    it('an unexpected error is passed on, not recorded as a result', async () => {
      const t = setup();
      t.capture.capture.mockRejectedValue(new Error('connection reset'));
      await expect(t.service.request(operator, 'CAPTURE', p, 6_000n, CAP)).rejects.toThrow('connection reset');
      expect(t.written).toEqual([]);
    });
  });

  describe('request: refused (audited DENIED, nothing moves)', () => {
    async function refusal(
      t: ReturnType<typeof setup>,
      action: 'CAPTURE' | 'REFUND',
      amount: bigint,
      requestId: string,
      actor = operator,
      payment = p,
    ) {
      const out = await t.service.request(actor, action, payment, amount, requestId);
      expect(out.kind).toBe('refused');
      expect(t.capture.capture).not.toHaveBeenCalled();
      expect(t.capture.refund).not.toHaveBeenCalled();
      expect(t.approvals.request).not.toHaveBeenCalled();
      expect(t.written).toHaveLength(1);
      expect(t.written[0]).toMatchObject({ action, outcome: 'DENIED', detail: { reason: (out as { reason: string }).reason, amount, requestId } });
      expect(out.auditId).toBe('101');
      return (out as { reason: string }).reason;
    }

    it('a viewer may not move money', async () => {
      expect(await refusal(setup(), 'CAPTURE', 1n, CAP, anActor('viewer'))).toBe('Your role (viewer) may not capture.');
      expect(await refusal(setup(), 'REFUND', 1n, REF, anActor('viewer'))).toBe('Your role (viewer) may not refund.');
    });

    it.each([
      ["another action's id", REF],
      ['a made-up id', 'adm_cap_123'],
      ['an upper-case id', CAP.toUpperCase()],
      ['nothing', ''],
    ])('a damaged form (%s)', async (_what, id) => {
      expect(await refusal(setup(), 'CAPTURE', 1n, id)).toBe('The confirmation form is damaged; start again from the payment page.');
    });

    it.each([0n, -1n])('an amount of %s', async (amount) => {
      expect(await refusal(setup(), 'CAPTURE', amount, CAP)).toBe('The amount must be more than zero.');
    });

    it("above the role's limit (by one minor unit); exactly at it passes", async () => {
      expect(await refusal(setup({ limit: 50_000n }), 'CAPTURE', 50_001n, CAP)).toBe("EUR 500.01 is above your role's limit of EUR 500.00.");
      const t = setup({ limit: 50_000n });
      expect(await t.service.request(operator, 'CAPTURE', p, 50_000n, CAP)).toMatchObject({ kind: 'done' });
    });

    it("above the role's limit with what the person moved or asked for in 24 hours; exactly at it passes", async () => {
      const reason = await refusal(setup({ limit: 50_000n, asked: 45_000n }), 'CAPTURE', 5_001n, CAP);
      expect(reason).toBe(
        "With the EUR 450.00 you (or an account you created or reset, or that set your password) captured or asked for in the last 24 hours, EUR 500.01 is above your role's limit of EUR 500.00 per 24 hours.",
      );
      const t = setup({ limit: 50_000n, asked: 45_000n });
      expect(await t.service.request(operator, 'CAPTURE', p, 5_000n, CAP)).toMatchObject({ kind: 'done' });
      expect(t.cumulative.askedLastDay).toHaveBeenCalledWith([UUID.alice], 'CAPTURE', 'EUR');
    });

    it('no role limit: the 24-hour total is not even read', async () => {
      const t = setup({ limit: null });
      await t.service.request(operator, 'CAPTURE', p, 6_000n, CAP);
      expect(t.cumulative.askedLastDay).not.toHaveBeenCalled();
    });

    it('a request id already used for another request (another payment, person or action) is a damaged form', async () => {
      for (const other of [{ paymentUuid: UUID.merchant }, { requestedBy: UUID.carol }, { action: 'REFUND' as const }]) {
        const t = setup();
        t.approvals.byRequestId.mockResolvedValue(anApproval({ requestId: CAP, requestedBy: UUID.alice, ...other }));
        expect(await refusal(t, 'CAPTURE', 6_000n, CAP)).toBe('The confirmation form is damaged; start again from the payment page.');
      }
    });

    it('above the four-eyes threshold, an amount the payment cannot take is refused before anyone is asked', async () => {
      const t = setup({ threshold: 10_000n });
      const reason = await refusal(
        t,
        'CAPTURE',
        20_000n,
        CAP,
        operator,
        anAdminPayment({ capturable: 15_000n, pendingCapture: 5_000n, authorizedAmount: 20_000n }),
      );
      expect(reason).toBe('At most EUR 150.00 can still be captured (EUR 50.00 more is waiting for approval).');
    });
  });

  describe('request: four-eyes', () => {
    it('above the threshold: a request waits for a second person, audited PENDING with why', async () => {
      const t = setup({ threshold: 50_000n });
      const approval = anApproval({ requestId: CAP, requestedBy: UUID.alice });
      t.approvals.request.mockResolvedValue(approval);
      const big = anAdminPayment({ capturable: 100_000n });
      const out = await t.service.request(operator, 'CAPTURE', big, 50_001n, CAP, { isLastCapture: true });
      expect(out).toEqual({ kind: 'needs-approval', approval, auditId: '101' });
      expect(t.approvals.request).toHaveBeenCalledWith({
        action: 'CAPTURE',
        paymentUuid: UUID.payment,
        currency: 'EUR',
        amount: 50_001n,
        requestId: CAP,
        params: { isLastCapture: true },
        requestedBy: UUID.alice,
      });
      expect(t.capture.capture).not.toHaveBeenCalled();
      expect(t.written[0]).toMatchObject({
        action: 'REQUEST_CAPTURE',
        outcome: 'PENDING',
        detail: { approvalId: UUID.approval, threshold: 50_000n, why: 'EUR 500.01 is above the four-eyes threshold of EUR 500.00.' },
      });
    });

    it('exactly at the threshold: executed at once', async () => {
      const t = setup({ threshold: 10_000n });
      expect(await t.service.request(operator, 'CAPTURE', p, 10_000n, CAP)).toMatchObject({ kind: 'done' });
      expect(t.approvals.request).not.toHaveBeenCalled();
    });

    it('the same confirmation sent again: the request it made, no second request or audit entry', async () => {
      const t = setup({ threshold: 1n });
      const approval = anApproval({ requestId: CAP, requestedBy: UUID.alice });
      t.approvals.byRequestId.mockResolvedValue(approval);
      t.results.requestAuditId.mockResolvedValueOnce('77').mockResolvedValueOnce(null);
      expect(await t.service.request(operator, 'CAPTURE', p, 60_000n, CAP)).toEqual({ kind: 'needs-approval', approval, auditId: '77' });
      expect(t.results.requestAuditId).toHaveBeenCalledWith('CAPTURE', 'gwp_1', approval.requestId);
      expect(await t.service.request(operator, 'CAPTURE', p, 60_000n, CAP)).toEqual({ kind: 'needs-approval', approval });
      expect(t.approvals.request).not.toHaveBeenCalled();
      expect(t.written).toEqual([]);
    });
  });

  describe('fourEyesReason / fourEyesPreview', () => {
    it('none configured: null, nothing read', async () => {
      const t = setup();
      expect(await t.service.fourEyesReason([UUID.alice], 'CAPTURE', p, 1_000_000n)).toBeNull();
      expect(t.cumulative.unapprovedOnPayment).not.toHaveBeenCalled();
      expect(t.cumulative.unapprovedLastDay).not.toHaveBeenCalled();
    });

    it('with what the circle already moved on this payment without approval (strictly above)', async () => {
      const t = setup({ threshold: 10_000n, onPayment: 6_000n });
      expect(await t.service.fourEyesReason([UUID.alice, UUID.bob], 'REFUND', p, 4_000n)).toBeNull();
      const r = await t.service.fourEyesReason([UUID.alice, UUID.bob], 'REFUND', p, 4_001n);
      expect(r).toEqual({
        threshold: 10_000n,
        why: 'With the EUR 60.00 you (or an account you created or reset, or that set your password) already refunded on this payment without approval, EUR 100.01 is above the four-eyes threshold of EUR 100.00.',
      });
      expect(t.cumulative.unapprovedOnPayment).toHaveBeenCalledWith([UUID.alice, UUID.bob], 'REFUND', 'gwp_1');
    });

    it('the daily threshold counts the currency over 24 hours', async () => {
      const t = setup({ daily: 100_000n, lastDay: 99_000n });
      expect(await t.service.fourEyesReason([UUID.alice], 'CAPTURE', p, 1_000n)).toBeNull();
      expect(await t.service.fourEyesReason([UUID.alice], 'CAPTURE', p, 1_001n)).toEqual({
        threshold: 100_000n,
        why: 'With the EUR 990.00 you (or an account you created or reset, or that set your password) captured in the last 24 hours without approval, EUR 1,000.01 is above the daily four-eyes threshold of EUR 1,000.00.',
      });
      expect(t.cumulative.unapprovedLastDay).toHaveBeenCalledWith([UUID.alice], 'CAPTURE', 'EUR');
    });

    it('the single threshold is checked before the daily one', async () => {
      const t = setup({ threshold: 10_000n, daily: 5_000n });
      expect((await t.service.fourEyesReason([UUID.alice], 'CAPTURE', p, 20_000n))?.threshold).toBe(10_000n);
      expect((await t.service.fourEyesReason([UUID.alice], 'CAPTURE', p, 6_000n))?.threshold).toBe(5_000n);
    });

    it("preview: the reason in words for the person's circle, or null", async () => {
      const t = setup({ threshold: 10_000n });
      t.cumulative.circle.mockResolvedValue([UUID.alice, UUID.bob]);
      expect(await t.service.fourEyesPreview(UUID.alice, 'CAPTURE', p, 10_001n)).toBe('EUR 100.01 is above the four-eyes threshold of EUR 100.00.');
      expect(await t.service.fourEyesPreview(UUID.alice, 'CAPTURE', p, 10_000n)).toBeNull();
      expect(t.cumulative.circle).toHaveBeenCalledWith(UUID.alice);
    });
  });

  describe('approve', () => {
    const carol = anActor('operator', { id: UUID.carol, username: 'carol' });

    function pending(t: ReturnType<typeof setup>, over: Partial<ApprovalRequest> = {}) {
      const approval = anApproval(over);
      t.approvals.byId.mockResolvedValue(approval);
      t.approvals.claim.mockResolvedValue({ ...approval, status: 'EXECUTING' });
      return approval;
    }

    it('no such request: refused, nothing recorded', async () => {
      const t = setup();
      t.approvals.byId.mockResolvedValue(null);
      expect(await t.service.approve(carol, UUID.approval, p)).toEqual({ kind: 'refused', reason: 'No such approval request.' });
      expect(t.written).toEqual([]);
    });

    it('an independent approver executes the request with its own request id and params; the request is EXECUTED', async () => {
      const t = setup();
      const approval = pending(t);
      const out = await t.service.approve(carol, UUID.approval, p);
      expect(t.cumulative.serialized).toHaveBeenCalledWith('EUR', expect.any(Function));
      expect(t.cumulative.approverLink).toHaveBeenCalledWith(UUID.bob, UUID.carol, approval.requestedAt);
      expect(t.approvals.claim).toHaveBeenCalledWith(UUID.approval, UUID.carol);
      expect(t.capture.capture).toHaveBeenCalledWith(MERCHANT, {
        captureRequestId: approval.requestId,
        paymentId: 'gwp_1',
        captureAmount: { currency: 'EUR', value: '60000' },
        isLastCapture: true,
      });
      expect(t.approvals.finish).toHaveBeenCalledWith(UUID.approval, 'EXECUTED', { result: S.result });
      expect(out).toMatchObject({ kind: 'done', status: 'S', auditId: '101' });
      expect(t.written).toEqual([
        expect.objectContaining({
          actorId: UUID.carol,
          action: 'APPROVE_CAPTURE',
          outcome: 'SUCCESS',
          detail: {
            action: 'CAPTURE',
            approvalId: UUID.approval,
            amount: 60_000n,
            currency: 'EUR',
            requestId: approval.requestId,
            requestedBy: 'bob',
            result: S.result,
          },
        }),
      ]);
    });

    it.each<[CaptureAnswer, string, string]>([
      [{ result: result('F', 'ORDER_STATUS_INVALID') }, 'FAILED', 'FAILURE'],
      [{ result: result('U', 'UNKNOWN_EXCEPTION') }, 'UNKNOWN', 'UNKNOWN'],
    ])('the acquirer answers %j: the request is %s, audited %s', async (answer, status, outcome) => {
      const t = setup();
      pending(t);
      t.capture.capture.mockResolvedValue(answer);
      await t.service.approve(carol, UUID.approval, p);
      expect(t.approvals.finish).toHaveBeenCalledWith(UUID.approval, status, { result: answer.result });
      expect(t.written[0].outcome).toBe(outcome);
    });

    it('an approved refund passes its reason on', async () => {
      const t = setup();
      pending(t, { action: 'REFUND', requestId: REF, params: { refundReason: 'goodwill' } });
      await t.service.approve(carol, UUID.approval, p);
      expect(t.capture.refund).toHaveBeenCalledWith(MERCHANT, expect.objectContaining({ refundRequestId: REF, refundReason: 'goodwill' }));
      expect(t.written[0].action).toBe('APPROVE_REFUND');
    });

    async function refused(t: ReturnType<typeof setup>, actor = carol) {
      const out = await t.service.approve(actor, UUID.approval, p);
      expect(out.kind).toBe('refused');
      expect(t.capture.capture).not.toHaveBeenCalled();
      expect(t.approvals.finish).not.toHaveBeenCalled();
      expect(t.written).toHaveLength(1);
      expect(t.written[0]).toMatchObject({
        action: 'APPROVE_CAPTURE',
        outcome: 'DENIED',
        detail: { reason: (out as { reason: string }).reason, approvalId: UUID.approval },
      });
      return (out as { reason: string }).reason;
    }

    it("someone in the requester's creation chain: the link in words, nothing claimed", async () => {
      const t = setup();
      pending(t);
      t.cumulative.approverLink.mockResolvedValue('You and bob are linked: …');
      expect(await refused(t)).toBe('You and bob are linked: …');
      expect(t.approvals.claim).not.toHaveBeenCalled();
    });

    it('a viewer may not approve', async () => {
      const t = setup();
      pending(t);
      expect(await refused(t, anActor('viewer' as AdminRole, { id: UUID.carol }))).toBe('Your role (viewer) may not approve this (capture).');
    });

    it("above the approver's own role limit (by one minor unit); exactly at it passes", async () => {
      const t = setup({ limit: 59_999n });
      pending(t);
      expect(await refused(t)).toBe(
        "EUR 600.00 is above your role's limit of EUR 599.99: an approver must be allowed to move the amount themselves.",
      );
      const ok = setup({ limit: 60_000n });
      pending(ok);
      expect(await ok.service.approve(carol, UUID.approval, p)).toMatchObject({ kind: 'done' });
    });

    it('the claim fails: expired, or already decided, said as such', async () => {
      const expired = setup();
      pending(expired, { expired: true });
      expired.approvals.claim.mockResolvedValue(null);
      expect(await refused(expired)).toBe('The request expired; ask again.');
      const done = setup();
      pending(done, { status: 'EXECUTED' });
      done.approvals.claim.mockResolvedValue(null);
      expect(await refused(done)).toBe('The request is executed, not pending.');
    });
  });

  describe('reject', () => {
    it('an operator rejects a request: audited SUCCESS', async () => {
      const t = setup();
      t.approvals.reject.mockResolvedValue(true);
      expect(await t.service.reject(operator, anApproval(), p)).toBe(true);
      expect(t.approvals.reject).toHaveBeenCalledWith(UUID.approval, UUID.alice);
      expect(t.written[0]).toMatchObject({
        action: 'REJECT_CAPTURE',
        outcome: 'SUCCESS',
        detail: { approvalId: UUID.approval, amount: 60_000n, currency: 'EUR' },
      });
    });

    it('a viewer cannot, nor can anyone once it is no longer pending: audited DENIED', async () => {
      const t = setup();
      expect(await t.service.reject(anActor('viewer'), anApproval(), p)).toBe(false);
      expect(t.approvals.reject).not.toHaveBeenCalled();
      t.approvals.reject.mockResolvedValue(false);
      expect(await t.service.reject(operator, anApproval(), p)).toBe(false);
      expect(t.written.map((e) => e.outcome)).toEqual(['DENIED', 'DENIED']);
    });
  });

  describe('cancel (no second person: it moves no money)', () => {
    it('an operator voids the payment; the audit records what was left uncaptured', async () => {
      const t = setup({ threshold: 1n });
      const partly = anAdminPayment({ authorizedAmount: 10_000n, capturedAmount: 2_500n });
      const out = await t.service.cancel(operator, partly);
      expect(t.capture.cancel).toHaveBeenCalledWith(MERCHANT, { paymentId: 'gwp_1' });
      expect(out).toEqual({ kind: 'done', status: 'S', response: S, auditId: '101' });
      expect(t.written[0]).toMatchObject({
        action: 'CANCEL',
        outcome: 'SUCCESS',
        detail: { paymentId: 'gwp_1', amount: 7_500n, currency: 'EUR', result: S.result },
      });
    });

    it('refused upstream (AntomError): F, audited FAILURE', async () => {
      const t = setup();
      t.capture.cancel.mockRejectedValue(new AntomError('CANCEL_WINDOW_EXCEED'));
      expect(await t.service.cancel(operator, p)).toMatchObject({
        kind: 'done',
        status: 'F',
        response: { result: { resultCode: 'CANCEL_WINDOW_EXCEED' } },
      });
      expect(t.written[0].outcome).toBe('FAILURE');
    });

    it('a viewer may not cancel: refused, audited DENIED', async () => {
      const t = setup();
      expect(await t.service.cancel(anActor('viewer'), p)).toEqual({ kind: 'refused', reason: 'Your role may not cancel payments.', auditId: '101' });
      expect(t.capture.cancel).not.toHaveBeenCalled();
      expect(t.written[0]).toMatchObject({ action: 'CANCEL', outcome: 'DENIED', detail: { reason: 'role' } });
    });
  });
});
