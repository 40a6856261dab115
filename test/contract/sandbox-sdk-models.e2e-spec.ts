import { randomUUID } from 'node:crypto';

import { CARD_API_MODELS, CARD_API_ROOTS } from '../support/card-api-models';
import { DOTNET_RESPONSE_ENUMS, DOTNET_RESPONSE_MODELS } from '../support/dotnet-sdk-models';
import { goDecodeProblems, modelDecodeProblems } from '../support/go-decode';
import { GO_ROOTS } from '../support/go-sdk-models';
import { ReceivedNotification } from '../support/notify-receiver';
import { SandboxHarness, startSandboxHarness, upstreamPay } from '../support/sandbox-harness';
import { dotnetDecodeProblems } from '../support/sdk-wire';

/*
 * The bundled sandbox spoken to directly, as a merchant testing an Antom SDK against it would (issue 25):
 * every answer (pay S / F / U, inquiryPayment, capture, refund, inquiryRefund, cancel, updateAmount, the three
 * dispute APIs, getCardInfo, inquireInstallment, consult) and every notification it sent in the run
 * (notifyPayment PAYMENT_RESULT and UPDATE_AMOUNT_RESULT, notifyCapture, notifyRefund, notifyDispute) is decoded
 * with the SDK models' field types, as the gateway's own suite decodes the gateway's (sdk-go-wire.e2e-spec.ts):
 * Go's (go-sdk-models.ts), Java's for the card APIs Go lacks (card-api-models.ts), and .NET's where the table
 * has the answer (dotnet-sdk-models.ts). One JSON type mismatch fails the merchant's whole call.
 * The sandbox has no vaults/* API (the gateway's vault answers it); its card-on-file token is in pay and the
 * notifications, checked here.
 */
const DOTNET_ROOT: Record<string, string> = {
  pay: 'AlipayPayResponse',
  inquiryPayment: 'AlipayPayQueryResponse',
  capture: 'AlipayCaptureResponse',
  refund: 'AlipayRefundResponse',
  inquiryRefund: 'AlipayInquiryRefundResponse',
  cancel: 'AlipayPayCancelResponse',
};
const DISPUTE_CARD = '4000000000000259';
const PDF = Buffer.from('%PDF-1.4\n% defence\n%%EOF\n').toString('base64');

describe("the sandbox's own answers and notifications decode into the SDK models", () => {
  let h: SandboxHarness;
  const decoded: string[] = [];
  beforeAll(async () => {
    h = await startSandboxHarness({ disputeDelaySeconds: 0.2 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** One signed call; the answer is decoded with every SDK model table that has its type. */
  async function call(api: string, body: object): Promise<any> {
    const res = await h.client.post(`payments/${api}`, body);
    expect(res.status).toBe(200);
    expect(res.signatureValid).toBe(true);
    const problems =
      api in GO_ROOTS
        ? goDecodeProblems(res.body, api as keyof typeof GO_ROOTS)
        : modelDecodeProblems(res.body, CARD_API_ROOTS[api as keyof typeof CARD_API_ROOTS], CARD_API_MODELS, api);
    if (DOTNET_ROOT[api]) problems.push(...dotnetDecodeProblems(DOTNET_RESPONSE_MODELS, DOTNET_RESPONSE_ENUMS, DOTNET_ROOT[api], res.body));
    expect(problems).toEqual([]);
    decoded.push(api);
    return res.body;
  }
  const note = async (pred: (b: any) => boolean): Promise<any> => (await h.receiver.waitFor(pred, 1, 15_000))[0].body;

  it('card pay with installments (BR, manual): pay, notifyPayment, capture, notifyCapture, refund, notifyRefund, both inquiries', async () => {
    const req = upstreamPay(h, { captureMode: 'MANUAL', value: '9000' });
    req.paymentMethod.paymentMethodMetaData.paymentMethodRegion = 'BR';
    req.creditPayPlan = { installmentNum: 3, interval: 'MONTH', creditPayFeeType: 'PERCENTAGE', feePercentage: 2 };
    const pay = await call('pay', req);
    expect(pay.result.resultStatus).toBe('S');
    // The fields issue 25 is about, in the models' types: int32 and bool, not "3" and "false".
    expect(pay.paymentResultInfo.creditPayPlan).toMatchObject({ installmentNum: 3, feePercentage: 2 });
    expect(pay.paymentResultInfo).toMatchObject({
      incrementalAuthorizationAvailable: false,
      extendedAuthorizationAvailable: false,
      refundOnAuthorizationAvailable: false,
    });
    expect(
      (await note((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === pay.paymentId)).paymentResultInfo.creditPayPlan.installmentNum,
    ).toBe(3);
    const capture = await call('capture', {
      captureRequestId: randomUUID(),
      paymentId: pay.paymentId,
      captureAmount: { currency: 'EUR', value: '9000' },
      isLastCapture: true,
    });
    expect(capture.result.resultStatus).toBe('S');
    await note((b) => b.notifyType === 'CAPTURE_RESULT' && b.paymentId === pay.paymentId);
    const refundRequestId = randomUUID();
    expect(
      (await call('refund', { refundRequestId, paymentId: pay.paymentId, refundAmount: { currency: 'EUR', value: '1000' } })).result.resultStatus,
    ).not.toBe('F');
    await note((b) => b.notifyType === 'REFUND_RESULT' && b.refundRequestId === refundRequestId);
    await call('inquiryRefund', { refundRequestId });
    const inquiry = await call('inquiryPayment', { paymentId: pay.paymentId });
    expect(inquiry.paymentResultInfo.creditPayPlan.installmentNum).toBe(3);
  });

  it('manual authorization: incrementalAuthorizationAvailable true, updateAmount and its notifyPayment, cancel', async () => {
    const pay = await call('pay', upstreamPay(h, { captureMode: 'MANUAL', value: '5000' }));
    expect(pay.paymentResultInfo.incrementalAuthorizationAvailable).toBe(true);
    const updateRequestId = randomUUID();
    expect(
      (await call('updateAmount', { updateRequestId, paymentId: pay.paymentId, amount: { currency: 'EUR', value: '6000' } })).result.resultStatus,
    ).toBe('S');
    await note((b) => b.notifyType === 'UPDATE_AMOUNT_RESULT' && b.updateRequestId === updateRequestId);
    expect((await call('cancel', { paymentId: pay.paymentId })).result.resultStatus).toBe('S');
    expect((await call('inquiryPayment', { paymentId: pay.paymentId })).paymentStatus).toBe('CANCELLED');
  });

  it('U (3DS challenge, hosted card page), F (decline), card on file: the answers, inquiries and notifications', async () => {
    const challenge = await call('pay', upstreamPay(h, { cardNo: '4000000000003220' }));
    expect(challenge.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expect((await call('inquiryPayment', { paymentId: challenge.paymentId })).paymentStatus).toBe('PROCESSING');
    const hosted = upstreamPay(h);
    hosted.paymentMethod = { paymentMethodType: 'CARD' };
    expect((await call('pay', hosted)).result.resultStatus).toBe('U');
    const declined = await call('pay', upstreamPay(h, { cardNo: '4000000000000002' }));
    expect(declined.result).toMatchObject({ resultStatus: 'F', resultCode: 'DO_NOT_HONOR' });
    await note((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === declined.paymentId);
    const onFile = upstreamPay(h);
    onFile.paymentMethod.paymentMethodMetaData.tokenize = true;
    const tokenized = await call('pay', onFile);
    const token = tokenized.paymentResultInfo.cardToken;
    expect(token).toMatch(/^sbxtok_/);
    expect((await note((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === tokenized.paymentId)).cardInfo.cardToken).toBe(token);
    const again = upstreamPay(h);
    again.paymentMethod = { paymentMethodType: 'CARD', paymentMethodId: token, paymentMethodMetaData: { isCardOnFile: true } };
    expect((await call('pay', again)).paymentResultInfo).toMatchObject({ credentialTypeUsed: 'TOKEN', incrementalAuthorizationAvailable: false });
  });

  it('disputes: notifyDispute of each step, acceptDispute, supplyDefenseDocument, downloadDisputeEvidence', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => call('pay', upstreamPay(h, { cardNo: DISPUTE_CARD, value: '2500' }))));
    const created = async (paymentId: string) => note((n) => n.paymentId === paymentId && n.disputeNotificationType === 'DISPUTE_CREATED');
    const [da, db] = await Promise.all([created(a.paymentId), created(b.paymentId)]);
    expect(da.defendable).toBe(true);
    expect((await call('acceptDispute', { disputeId: da.disputeId })).result.resultStatus).toBe('S');
    expect((await call('supplyDefenseDocument', { disputeId: db.disputeId, disputeEvidence: PDF })).result.resultStatus).toBe('S');
    expect(
      (await call('downloadDisputeEvidence', { disputeId: db.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' })).disputeEvidenceFormat,
    ).toBe('PDF');
    await note((n) => n.disputeId === da.disputeId && n.disputeNotificationType === 'DISPUTE_JUDGED');
    await note((n) => n.disputeId === db.disputeId && n.disputeNotificationType === 'DISPUTE_JUDGED');
  });

  it("getCardInfo, inquireInstallment and consult are served, in the SDK models' types", async () => {
    expect(await call('getCardInfo', { cardNo: '5555555555554444' })).toMatchObject({
      result: { resultStatus: 'S' },
      cardBrand: 'MASTERCARD',
      supportInstallment: true,
    });
    expect((await call('inquireInstallment', {})).installmentBanks.plans.length).toBe(5 * 35);
    const consult = await call('consult', {
      productCode: 'CASHIER_PAYMENT',
      paymentAmount: { currency: 'USD', value: '1000' },
      userRegion: 'US',
      env: { terminalType: 'WEB' },
    });
    expect(consult.paymentOptions).toEqual([expect.objectContaining({ paymentMethodType: 'CARD', enabled: true })]);
  });

  it('every notification the run received decodes into its notify model, and the run covered every kind', () => {
    const kindOf = (n: ReceivedNotification): keyof typeof GO_ROOTS =>
      n.body.disputeNotificationType
        ? 'notifyDispute'
        : n.body.notifyType === 'CAPTURE_RESULT'
          ? 'notifyCapture'
          : n.body.notifyType === 'REFUND_RESULT'
            ? 'notifyRefund'
            : 'notifyPayment';
    const problems = h.receiver.received.flatMap((n) => goDecodeProblems(n.body, kindOf(n)));
    expect(problems).toEqual([]);
    expect(h.receiver.received.every((n) => n.signatureValid)).toBe(true);
    const kinds = new Set(h.receiver.received.map((n) => n.body.notifyType ?? n.body.disputeNotificationType));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'CAPTURE_RESULT',
        'DISPUTE_ACCEPTED',
        'DISPUTE_CREATED',
        'DISPUTE_JUDGED',
        'DEFENSE_SUPPLIED',
        'PAYMENT_RESULT',
        'REFUND_RESULT',
        'UPDATE_AMOUNT_RESULT',
      ]),
    );
    expect(new Set(decoded)).toEqual(
      new Set([
        'pay',
        'inquiryPayment',
        'capture',
        'refund',
        'inquiryRefund',
        'cancel',
        'updateAmount',
        'acceptDispute',
        'supplyDefenseDocument',
        'downloadDisputeEvidence',
        'getCardInfo',
        'inquireInstallment',
        'consult',
      ]),
    );
  });
});
