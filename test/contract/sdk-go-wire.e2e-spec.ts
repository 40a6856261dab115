import { constants, randomUUID, sign as rsaSign, verify as rsaVerify } from 'node:crypto';

import { loadPublicKey } from '../../src/antom/keys';
import { contentToSign } from '../../src/antom/signature';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { goDecodeProblems } from '../support/go-decode';
import { GO_ROOTS } from '../support/go-sdk-models';
import { NotifyReceiver } from '../support/notify-receiver';
import { fixturePay, recordAnswer, SdkMerchant, sdkMerchant } from '../support/sdk-merchant';
import { goJsonMarshal, rawHttp } from '../support/sdk-wire';
import { startTestStack, TestStack } from '../support/stack';

/*
 * Antom's Go SDK (global-open-sdk-go v1.3.5) on the wire, from defaultAlipayClient.go and tools/:
 * - body: json.Marshal of the request struct (compact, omitempty, HTML-escaped); the Go models type
 *   env.colorDepth / screenHeight / screenWidth and goods.goodsQuantity as string, timeZoneOffset and
 *   creditPayPlan.installmentNum as int32, booleans as bool;
 * - Request-Time: strconv.FormatInt(time.Now().UnixMilli(), 10); path rewritten to /ams/sandbox/api for
 *   sandbox mode; signature url.QueryEscape(base64) over `POST <path>`;
 * - headers: req.Header.Set("Content-type", "application/json") then Add()s of buildBaseHeader, so two
 *   Content-Type values; Request-Time, Client-Id, Key-Version, Signature, User-Agent, SDK-VERSION and an
 *   empty agent-token; net/http writes Host, User-Agent, Content-Length, the rest sorted, then
 *   Accept-Encoding: gzip (Transport);
 * - answer: Signature, Client-id, response-time read case-insensitively, the value after "signature="
 *   QueryUnescape'd and verified over `POST <req.URL.Path>`; then json.Unmarshal into the response
 *   struct, which fails the call on any JSON type mismatch. That decoding is checked here for every
 *   answer and notification, against the field types generated from the SDK (support/go-sdk-models.ts).
 */
const USER_AGENT = 'global-open-sdk-go/1.3.5';

describe('Antom Go SDK wire habits, and every answer and notification decodes into the Go models', () => {
  let stack: TestStack;
  let m: SdkMerchant;
  let port: number;
  let receiver: NotifyReceiver;

  beforeAll(async () => {
    stack = await startTestStack({ NOTIFY_TIME_SCALE: '0.001', WORKER_POLL_MS: '20' });
    m = await sdkMerchant(stack, true);
    port = Number(new URL(stack.gatewayUrl).port);
    receiver = await new NotifyReceiver(loadPublicKey(stack.app.get(GatewaySigningKey).publicKeyPem)).start();
  });
  afterAll(async () => {
    await receiver?.close();
    await stack?.stop();
  });

  /** DefaultAlipayClient.Execute: request bytes as net/http writes them, answer checked as httpDo does. */
  async function goSdk(api: string, param: object): Promise<any> {
    const path = `/ams/api/v1/${api}`.replace('/ams/api', m.clientId.startsWith('SANDBOX_') ? '/ams/sandbox/api' : '/ams/api');
    const reqPayload = goJsonMarshal(param);
    const reqTime = String(Date.now());
    const raw = rsaSign('sha256', contentToSign({ method: 'POST', path, clientId: m.clientId, time: reqTime, body: reqPayload }), {
      key: m.privateKey,
      padding: constants.RSA_PKCS1_PADDING,
    });
    const body = Buffer.from(reqPayload, 'utf8');
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `User-Agent: ${USER_AGENT}`,
      `Content-Length: ${body.length}`,
      'Agent-Token: ',
      `Client-Id: ${m.clientId}`,
      'Content-Type: application/json',
      'Content-Type: application/json; charset=UTF-8',
      'Key-Version: 1',
      `Request-Time: ${reqTime}`,
      'Sdk-Version: global-open-sdk-go',
      `Signature: algorithm=RSA256,keyVersion=1,signature=${queryEscape(raw.toString('base64'))}`,
      'Accept-Encoding: gzip',
    ];
    const a = await rawHttp(port, Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), body]));
    recordAnswer(a.body);
    expect(a.status).toBe(200);
    const rspSignValue = (a.header('signature') ?? '').split('signature=')[1] ?? '';
    const verified = rsaVerify(
      'sha256',
      contentToSign({ method: 'POST', path, clientId: a.header('client-id') ?? '', time: a.header('response-time') ?? '', body: a.body }),
      { key: m.gatewayKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.from(queryUnescape(rspSignValue), 'base64'),
    );
    expect(verified).toBe(true);
    return JSON.parse(a.body);
  }

  const expectGoDecodes = (body: unknown, root: keyof typeof GO_ROOTS) => expect(goDecodeProblems(body, root)).toEqual([]);

  /** The pay param as a Go merchant fills the SDK's structs: env scalars typed as model.Env has them. */
  function goPay(o: Parameters<typeof fixturePay>[0] = {}) {
    const req = fixturePay({ notifyUrl: `${receiver.url}/notify`, ...o });
    req.env = { ...req.env, colorDepth: '24', screenHeight: '800', screenWidth: '1280', timeZoneOffset: -60 };
    req.order.env = req.env;
    return req;
  }

  it('decodes its own typing table faithfully (a string where Go has int32 is a failure)', () => {
    expect(goDecodeProblems({ paymentResultInfo: { creditPayPlan: { installmentNum: '3' } } }, 'pay')).toEqual([
      'pay.paymentResultInfo.creditPayPlan.installmentNum: "3" is not a JSON integer (Go int32)',
    ]);
    expect(goDecodeProblems({ paymentAmount: { value: 100 }, unknownField: 1, result: null }, 'pay')).toEqual([
      'pay.paymentAmount.value: 100 is not a JSON string (Go string)',
    ]);
  });

  it('installments (BR), manual capture, partial refund: pay, capture, inquiries, refund and all three notifications decode', async () => {
    const req = goPay({ captureMode: 'MANUAL', value: '9000' });
    req.paymentAmount.currency = 'BRL';
    req.order.orderAmount.currency = 'BRL';
    for (const g of req.order.goods) g.goodsUnitAmount.currency = 'BRL';
    req.paymentMethod.paymentMethodMetaData.paymentMethodRegion = 'BR';
    req.settlementStrategy.settlementCurrency = 'BRL';
    req.creditPayPlan = { installmentNum: 3, creditPayFeeType: 'PERCENTAGE', feePercentage: 2 };

    const pay = await goSdk('payments/pay', req);
    expect(pay.result).toMatchObject({ resultStatus: 'S' });
    expectGoDecodes(pay, 'pay');
    expect(pay.paymentResultInfo.creditPayPlan).toMatchObject({ installmentNum: 3, feePercentage: 2 });
    // Antom's card result info, whole: issuer, RRN, category, credential, the *Available flags as booleans.
    expect(pay.paymentResultInfo).toMatchObject({
      issuerName: expect.any(String),
      rrn: expect.stringMatching(/^\d{12}$/),
      cardCategory: 'CONSUMER',
      credentialTypeUsed: 'PAN',
      incrementalAuthorizationAvailable: false,
      extendedAuthorizationAvailable: false,
      refundOnAuthorizationAvailable: false,
    });
    // The acquirer's view, beside paymentResultInfo too; its reference is the merchant's request id, not the gateway's.
    expect(pay.acquirerInfo).toMatchObject({ acquirerName: 'SANDBOX_ACQUIRER', acquirerResultCode: '00', referenceRequestId: req.paymentRequestId });
    expect(pay.acquirerInfo.acquirerCardToken).toBeUndefined();
    const paymentId = pay.paymentId;

    const [notice] = await receiver.waitFor((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === paymentId);
    expect(notice.signatureValid).toBe(true);
    expectGoDecodes(notice.body, 'notifyPayment');
    expect(notice.body.paymentResultInfo.creditPayPlan.installmentNum).toBe(3);

    const capture = await goSdk('payments/capture', {
      captureRequestId: `CAP_${randomUUID()}`,
      paymentId,
      captureAmount: { currency: 'BRL', value: '9000' },
      isLastCapture: true,
    });
    expect(capture.result).toMatchObject({ resultStatus: 'S' });
    expectGoDecodes(capture, 'capture');
    expect(capture.acquirerReferenceNo).toMatch(/^arn/);
    const [captured] = await receiver.waitFor((b) => b.notifyType === 'CAPTURE_RESULT' && b.paymentId === paymentId);
    expectGoDecodes(captured.body, 'notifyCapture');
    expect(captured.body.acquirerReferenceNo).toBe(capture.acquirerReferenceNo);

    const refundRequestId = `REF_${randomUUID()}`;
    const refund = await goSdk('payments/refund', { refundRequestId, paymentId, refundAmount: { currency: 'BRL', value: '1000' } });
    expect(['S', 'U']).toContain(refund.result.resultStatus);
    expectGoDecodes(refund, 'refund');
    const [refunded] = await receiver.waitFor((b) => b.notifyType === 'REFUND_RESULT' && b.refundRequestId === refundRequestId, 1, 20_000);
    expectGoDecodes(refunded.body, 'notifyRefund');

    const inquiry = await goSdk('payments/inquiryPayment', { paymentId });
    expect(inquiry.paymentStatus).toBe('SUCCESS');
    expectGoDecodes(inquiry, 'inquiryPayment');
    expect(inquiry.transactions.map((t: { transactionType: string }) => t.transactionType)).toEqual(expect.arrayContaining(['CAPTURE', 'REFUND']));

    const inquiryRefund = await goSdk('payments/inquiryRefund', { refundRequestId });
    expectGoDecodes(inquiryRefund, 'inquiryRefund');
  });

  it('cancel of an authorization decodes', async () => {
    const req = goPay({ captureMode: 'MANUAL', value: '3000' });
    const pay = await goSdk('payments/pay', req);
    expect(pay.result.resultStatus).toBe('S');
    const cancel = await goSdk('payments/cancel', { paymentRequestId: req.paymentRequestId });
    expect(cancel.result).toMatchObject({ resultStatus: 'S' });
    expectGoDecodes(cancel, 'cancel');
    expectGoDecodes(await goSdk('payments/inquiryPayment', { paymentRequestId: req.paymentRequestId }), 'inquiryPayment');
  });

  it('a 3DS challenge: the U answer decodes, and the inquiry says PROCESSING and decodes', async () => {
    const req = goPay({ cardNo: '4000000000003220' });
    req.paymentMethod.paymentMethodMetaData.is3DSAuthentication = true;
    const pay = await goSdk('payments/pay', req);
    expect(pay.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    expectGoDecodes(pay, 'pay');
    const inquiry = await goSdk('payments/inquiryPayment', { paymentId: pay.paymentId });
    expect(inquiry.paymentStatus).toBe('PROCESSING');
    expectGoDecodes(inquiry, 'inquiryPayment');
  });

  it("a decline: the F answer carries the issuer's refusal codes; it, its inquiry and its notification decode", async () => {
    const pay = await goSdk('payments/pay', goPay({ cardNo: '4000000000000002' }));
    expect(pay.result).toMatchObject({ resultStatus: 'F', resultCode: 'DO_NOT_HONOR' });
    expectGoDecodes(pay, 'pay');
    const refusal = { refusalCodeRaw: '05', refusalReasonRaw: 'Do not honor', merchantAdviceCode: '02' };
    expect(pay.paymentResultInfo).toMatchObject(refusal);
    expect(pay.acquirerInfo).toMatchObject({ acquirerResultCode: '05' });
    const inquiry = await goSdk('payments/inquiryPayment', { paymentId: pay.paymentId });
    expectGoDecodes(inquiry, 'inquiryPayment');
    expect(inquiry.paymentResultInfo).toMatchObject(refusal);
    const [notice] = await receiver.waitFor((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === pay.paymentId);
    expectGoDecodes(notice.body, 'notifyPayment');
    expect(notice.body.paymentResultInfo).toMatchObject(refusal);
  });

  it.each([
    ['4000000000009995', '51', '02'],
    ['4000000000009987', '41', '03'],
    ['4000000000009979', '43', '03'],
  ])('decline %s: refusalCodeRaw %s, merchantAdviceCode %s', async (cardNo, code, advice) => {
    const pay = await goSdk('payments/pay', goPay({ cardNo }));
    expect(pay.result.resultStatus).toBe('F');
    expect(pay.paymentResultInfo).toMatchObject({ refusalCodeRaw: code, merchantAdviceCode: advice, refusalReasonRaw: expect.any(String) });
    expectGoDecodes(pay, 'pay');
  });

  it("card on file (tokenize): inquiry and notifyPayment carry cardInfo with the gateway's vault token, funding, issuing country; they decode", async () => {
    const req = goPay();
    req.paymentMethod.paymentMethodMetaData.tokenize = true;
    const pay = await goSdk('payments/pay', req);
    expect(pay.result.resultStatus).toBe('S');
    const token = pay.paymentResultInfo.cardToken;
    expect(token).toMatch(/^tok_/);
    const inquiry = await goSdk('payments/inquiryPayment', { paymentId: pay.paymentId });
    expectGoDecodes(inquiry, 'inquiryPayment');
    const cardInfo = {
      cardNo: expect.stringMatching(/^\d{4,6}\*+\d{4}$/),
      cardBrand: 'VISA',
      cardToken: token,
      funding: 'CREDIT',
      issuingCountry: 'US',
    };
    expect(inquiry.cardInfo).toMatchObject(cardInfo);
    expect(inquiry.actualPaymentAmount).toEqual(pay.paymentAmount);
    const [notice] = await receiver.waitFor((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === pay.paymentId);
    expectGoDecodes(notice.body, 'notifyPayment');
    expect(notice.body.cardInfo).toMatchObject(cardInfo);
    expect(notice.body.actualPaymentAmount).toEqual(pay.paymentAmount);
  });

  it("automatic capture: the merchant's CAPTURE_RESULT carries the acquirer's acquirerReferenceNo and decodes", async () => {
    const pay = await goSdk('payments/pay', goPay({ captureMode: 'AUTOMATIC' }));
    expect(pay.result.resultStatus).toBe('S');
    const [captured] = await receiver.waitFor((b) => b.notifyType === 'CAPTURE_RESULT' && b.paymentId === pay.paymentId);
    expectGoDecodes(captured.body, 'notifyCapture');
    expect(captured.body.acquirerReferenceNo).toMatch(/^arn/);
  });

  it('env scalars: the Go model\'s strings and the docs\' all-string form ("-60") are accepted', async () => {
    expect((await goSdk('payments/pay', goPay())).result).toMatchObject({ resultStatus: 'S' });
    const docsForm = goPay();
    docsForm.env.timeZoneOffset = '-60';
    docsForm.env.browserInfo.javaEnabled = 'true';
    expect((await goSdk('payments/pay', docsForm)).result).toMatchObject({ resultStatus: 'S' });
  });
});

/** Go's url.QueryEscape on base64: `+`, `/`, `=` escaped, upper-case hex. */
function queryEscape(s: string): string {
  return s.replace(/[^A-Za-z0-9_.~-]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** Go's url.QueryUnescape: `+` is a space. */
function queryUnescape(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}
