import { constants, KeyObject, randomUUID, sign as rsaSign, verify as rsaVerify } from 'node:crypto';

import { generateRsaKeyPair, loadPrivateKey } from '../../src/antom/keys';
import { contentToSign } from '../../src/antom/signature';
import { DOTNET_ENUM_DEFAULT, DOTNET_MODELS, DOTNET_RESPONSE_ENUMS, DOTNET_RESPONSE_MODELS } from '../support/dotnet-sdk-models';
import { fixturePay, recordAnswer, SdkMerchant, sdkMerchant } from '../support/sdk-merchant';
import {
  dotnetCamelCase,
  dotnetDecodeProblems,
  dotnetJsonSerialize,
  dotnetJsonString,
  dotnetRoundTripTime,
  dotnetUrlDecode,
  dotnetUrlEncode,
  phpIso8601,
  phpJsonEncode,
  phpUrlencode,
  rawHttp,
  RawHttpAnswer,
} from '../support/sdk-wire';
import { startTestStack, TestStack } from '../support/stack';

/*
 * Antom's .NET SDK (global-open-sdk-dotnet 2.2.5, commit 48aa809) and PHP SDK (global-open-sdk-php 1.5.5,
 * commit bd58972) on the wire, from their source:
 *
 * .NET — DefaultAlipayClient.Execute, AMSRequest.BuildRequestHeader, SignatureUtil, AMSResponse.ParseResponse:
 * - body: JsonSerializer.Serialize with WriteNotIndented: camelCase, IgnoreNullValues = false (every property of
 *   every model object the merchant fills, unset ones as null; unset non-nullable enums as their first member,
 *   e.g. env.osType "IOS", paymentMethod.funding "CREDIT", paymentFactor.presentmentMode "BUNDLE"), the default
 *   encoder (`+` as \u002B, `"` as \u0022, non-ASCII as \u00E9);
 * - Request-Time `DateTime.UtcNow.ToString("o")` (`2026-01-02T03:04:05.1234567Z`); signature over `POST <path>`
 *   (sandbox-rewritten), `HttpUtility.UrlEncode` of the base64 (lower-case `%2b`, `%2f`, `%3d`);
 * - headers added in order client-id, signature, request-time, User-Agent, X-sdkVersion; HttpClient writes the
 *   origin-form request line and Host first, the content headers (Content-Type, Content-Length) last;
 * - answer: HTTP 200 only; `response-time` and `signature` looked up case-insensitively, the value after
 *   "signature=" HttpUtility.UrlDecode'd (`+` would become a space) and verified with the client's own id.
 *
 * PHP — BaseAlipayClient.execute, SignatureTool, DefaultAlipayClient.sendRequest (curl):
 * - body: json_encode (compact, `/` as `\/`, non-ASCII as \u00e9, null properties left out);
 * - Request-Time `date(DATE_ISO8601)`: `+0000`, or the server's zone offset (`+0800`), whole seconds;
 * - signature `urlencode(base64)` (upper-case %2B), headers written as "Name:value" without a space in the
 *   order Content-Type, Request-Time, client-id, Signature, User-Agent, after curl's Host and `Accept: *\/*`,
 *   then curl's Content-Length (and `Expect: 100-continue` for a large body on older libcurl);
 * - answer: HTTP 200 only; every header line containing "response-time" gives the time (after the first `:`),
 *   else one containing "signature" gives the signature (after the LAST `=`): an unencoded base64 `=` padding
 *   would cut it; decoded directly when it holds `=`, `+` or `/`, else urldecode'd first.
 */
const DOTNET_UA = 'global-open-sdk-dotnet/2.2.5';
const PHP_UA = 'global-open-sdk-php/1.5.5';
const RESPONSE_OF: Record<string, string> = {
  'payments/pay': 'AlipayPayResponse',
  'payments/inquiryPayment': 'AlipayPayQueryResponse',
  'payments/capture': 'AlipayCaptureResponse',
  'payments/refund': 'AlipayRefundResponse',
  'payments/inquiryRefund': 'AlipayInquiryRefundResponse',
  'payments/cancel': 'AlipayPayCancelResponse',
};
const MODEL_OF: Record<string, string> = {
  'payments/pay': 'AlipayPayRequest',
  'payments/inquiryPayment': 'AlipayPayQueryRequest',
  'payments/capture': 'AlipayCaptureRequest',
  'payments/refund': 'AlipayRefundRequest',
  'payments/inquiryRefund': 'AlipayInquiryRefundRequest',
  'payments/cancel': 'AlipayPayCancelRequest',
};

interface SdkAnswer {
  http: RawHttpAnswer;
  body: any;
  verified: boolean;
  sent: string;
}

const sdkPath = (m: SdkMerchant, api: string) =>
  `/ams/api/v1/${api}`.replace('/ams/api', m.clientId.startsWith('SANDBOX_') ? '/ams/sandbox/api' : '/ams/api');
const signB64 = (m: SdkMerchant, path: string, time: string, body: string, key?: KeyObject) =>
  rsaSign('sha256', contentToSign({ method: 'POST', path, clientId: m.clientId, time, body }), {
    key: key ?? m.privateKey,
    padding: constants.RSA_PKCS1_PADDING,
  }).toString('base64');
const verifies = (m: SdkMerchant, path: string, clientId: string, time: string, body: string, signature: Buffer) =>
  rsaVerify(
    'sha256',
    contentToSign({ method: 'POST', path, clientId, time, body }),
    { key: m.gatewayKey, padding: constants.RSA_PKCS1_PADDING },
    signature,
  );

describe('Antom .NET and PHP SDK wire habits (null-filled models, 7-digit Z time, %2b; json_encode, +0000, curl headers)', () => {
  let stack: TestStack;
  let m: SdkMerchant;
  let port: number;

  beforeAll(async () => {
    stack = await startTestStack();
    m = await sdkMerchant(stack, true);
    port = Number(new URL(stack.gatewayUrl).port);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** DefaultAlipayClient.Execute (.NET): the bytes HttpClient writes, the answer as ParseResponse reads it. */
  async function dotnetSdk(api: string, value: object, o: { signWith?: KeyObject } = {}): Promise<SdkAnswer> {
    const path = sdkPath(m, api);
    const body = dotnetJsonSerialize(DOTNET_MODELS, DOTNET_ENUM_DEFAULT, MODEL_OF[api], value);
    const time = dotnetRoundTripTime();
    const payload = Buffer.from(body, 'utf8');
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `client-id: ${m.clientId}`,
      `signature: algorithm=RSA256,keyVersion=1,signature=${dotnetUrlEncode(signB64(m, path, time, body, o.signWith))}`,
      `request-time: ${time}`,
      `User-Agent: ${DOTNET_UA}`,
      'X-sdkVersion: ams-dotnet.20201113',
      'Content-Type: application/json; charset=UTF-8',
      `Content-Length: ${payload.length}`,
    ];
    const http = await rawHttp(port, Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), payload]));
    recordAnswer(http.body);
    const responseTime = http.header('response-time');
    const signature = http.header('signature')?.split('signature=')[1];
    const verified =
      http.status === 200 &&
      !!responseTime &&
      !!signature &&
      verifies(m, path, m.clientId, responseTime, http.body, Buffer.from(dotnetUrlDecode(signature), 'base64'));
    const parsed = safeJson(http.body);
    // JsonSerializer.Deserialize<TAMSResponse>: a JSON type the model does not take fails the call.
    expect(dotnetDecodeProblems(DOTNET_RESPONSE_MODELS, DOTNET_RESPONSE_ENUMS, RESPONSE_OF[api], parsed)).toEqual([]);
    return { http, body: parsed, verified, sent: body };
  }

  /** BaseAlipayClient.execute (PHP) over curl: the bytes curl writes, the answer as sendRequest / SignatureTool read it. */
  async function phpSdk(
    api: string,
    value: object,
    o: { offsetMinutes?: number; expectContinue?: boolean; signWith?: KeyObject } = {},
  ): Promise<SdkAnswer> {
    const path = sdkPath(m, api);
    const body = phpJsonEncode(value);
    const time = phpIso8601(Date.now(), o.offsetMinutes ?? 0);
    const payload = Buffer.from(body, 'utf8');
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Accept: */*',
      'Content-Type:application/json; charset=UTF-8',
      `Request-Time:${time}`,
      `client-id:${m.clientId}`,
      `Signature:algorithm=RSA256,keyVersion=1,signature=${phpUrlencode(signB64(m, path, time, body, o.signWith))}`,
      `User-Agent:${PHP_UA}`,
      `Content-Length: ${payload.length}`,
      ...(o.expectContinue ? ['Expect: 100-continue'] : []),
    ];
    const http = await rawHttp(port, Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), payload]), '127.0.0.1', {
      expectContinue: o.expectContinue,
    });
    recordAnswer(http.body);
    let rspTime: string | undefined;
    let rspSign: string | undefined;
    for (const [k, v] of http.headerLines) {
      const line = `${k}: ${v}`;
      if (line.includes('response-time')) rspTime = line.slice(line.indexOf(':') + 1).trim();
      else if (line.includes('signature')) rspSign = line.slice(line.lastIndexOf('=') + 1);
    }
    let verified = false;
    if (http.status === 200 && rspTime && rspSign) {
      const direct = /[=+/]/.test(rspSign) || Buffer.from(rspSign, 'base64').toString('base64') === rspSign;
      verified = verifies(
        m,
        path,
        m.clientId,
        rspTime,
        http.body,
        Buffer.from(direct ? rspSign : decodeURIComponent(rspSign.replace(/\+/g, ' ')), 'base64'),
      );
    }
    return { http, body: safeJson(http.body), verified, sent: body };
  }

  function expectAccepted(a: SdkAnswer) {
    expect(a.http.status).toBe(200);
    expect(a.verified).toBe(true);
    expect(a.body.result).toEqual({
      resultCode: expect.any(String),
      resultStatus: expect.stringMatching(/^[SFU]$/),
      resultMessage: expect.any(String),
    });
  }

  it("reproduces the serialisers, times and URL encodings exactly (as the SDKs' runtimes produce them)", () => {
    expect(['PaymentRequestId', 'IsCardOnFile', 'CVV', 'URLValue', 'ThreeDSResult', 'X'].map(dotnetCamelCase)).toEqual([
      'paymentRequestId',
      'isCardOnFile',
      'cvv',
      'urlValue',
      'threeDSResult',
      'x',
    ]);
    expect(dotnetJsonString('a"b+<>&\'`\u00e9\n\u0001')).toBe('"a\\u0022b\\u002B\\u003C\\u003E\\u0026\\u0027\\u0060\\u00E9\\n\\u0001"');
    expect(dotnetRoundTripTime(1767323045999, 1234)).toBe('2026-01-02T03:04:05.9991234Z');
    expect(dotnetUrlEncode('ab+/=')).toBe('ab%2b%2f%3d');
    expect(
      dotnetJsonSerialize(DOTNET_MODELS, DOTNET_ENUM_DEFAULT, 'AlipayCaptureRequest', {
        captureRequestId: 'C1',
        captureAmount: { currency: 'EUR', value: '1' },
      }),
    ).toBe(
      '{"captureRequestId":"C1","paymentId":null,"captureAmount":{"currency":"EUR","value":"1"},"isLastCapture":null,"captureType":null,"transit":null}',
    );
    expect(phpJsonEncode({ u: 'http://x/\u00e9', n: 1, b: true })).toBe('{"u":"http:\\/\\/x\\/\\u00e9","n":1,"b":true}');
    expect(phpIso8601(1767323045999)).toBe('2026-01-02T03:04:05+0000');
    expect(phpIso8601(1767323045999, 480)).toBe('2026-01-02T11:04:05+0800');
    expect(phpUrlencode('ab+/= ')).toBe('ab%2B%2F%3D+');
    expect(
      dotnetDecodeProblems(DOTNET_RESPONSE_MODELS, DOTNET_RESPONSE_ENUMS, 'AlipayPayResponse', {
        paymentAmount: { value: 100 },
        paymentStatus: 7,
        unknown: 1,
      }),
    ).toEqual(['AlipayPayResponse.paymentAmount.value: 100 is not a JSON string (.NET string)']);
  });

  it('.NET: every merchant API with null-filled models and first-member enum defaults, signed HTTP 200 answers the SDK verifies', async () => {
    const pay = fixturePay({ captureMode: 'MANUAL', value: '8000' });
    pay.order.orderDescription = 'Caf\u00e9 +1 <b>';
    const paid = await dotnetSdk('payments/pay', pay);
    // What the SDK really puts on the wire for fields nobody set.
    expect(paid.sent).toContain('"paymentNotifyUrl":null');
    expect(paid.sent).toContain('"funding":"CREDIT"');
    expect(paid.sent).toContain('"presentmentMode":"BUNDLE"');
    expect(paid.sent).toContain('Caf\\u00E9 \\u002B1 \\u003Cb\\u003E');
    expectAccepted(paid);
    expect(paid.body.result).toMatchObject({ resultStatus: 'S' });
    expect(paid.body).toMatchObject({ paymentRequestId: pay.paymentRequestId });
    const paymentId = paid.body.paymentId;

    const inq = await dotnetSdk('payments/inquiryPayment', { paymentId });
    expectAccepted(inq);
    expect(inq.body).toMatchObject({ result: { resultStatus: 'S' }, paymentStatus: 'SUCCESS' });
    const cap = await dotnetSdk('payments/capture', {
      captureRequestId: `CAP_${randomUUID()}`,
      paymentId,
      captureAmount: { currency: 'EUR', value: '8000' },
      isLastCapture: true,
    });
    expectAccepted(cap);
    expect(cap.body.result.resultStatus).toBe('S');
    const refundRequestId = `REF_${randomUUID()}`;
    const ref = await dotnetSdk('payments/refund', { refundRequestId, paymentId, refundAmount: { currency: 'EUR', value: '1000' } });
    expectAccepted(ref);
    expect(['S', 'U']).toContain(ref.body.result.resultStatus);
    expectAccepted(await dotnetSdk('payments/inquiryRefund', { refundRequestId }));

    const other = fixturePay({ captureMode: 'MANUAL', value: '3000' });
    expect((await dotnetSdk('payments/pay', other)).body.result.resultStatus).toBe('S');
    const cancel = await dotnetSdk('payments/cancel', { paymentRequestId: other.paymentRequestId });
    expectAccepted(cancel);
    expect(cancel.body.result.resultStatus).toBe('S');
  });

  it('PHP: every merchant API with json_encode bodies, +0000 and +0800 times, curl header lines and Expect: 100-continue', async () => {
    const pay = fixturePay({ captureMode: 'MANUAL', value: '8000' });
    pay.order.orderDescription = 'Caf\u00e9 / \u5496\u5561';
    const paid = await phpSdk('payments/pay', pay, { expectContinue: true });
    expect(paid.sent).toContain('"paymentRedirectUrl":"http:\\/\\/127.0.0.1:9\\/merchant\\/return"');
    expectAccepted(paid);
    expect(paid.body).toMatchObject({ result: { resultStatus: 'S' }, paymentRequestId: pay.paymentRequestId });
    const paymentId = paid.body.paymentId;

    const inq = await phpSdk('payments/inquiryPayment', { paymentId }, { offsetMinutes: 480 });
    expectAccepted(inq);
    expect(inq.body).toMatchObject({ result: { resultStatus: 'S' }, paymentStatus: 'SUCCESS' });
    const cap = await phpSdk(
      'payments/capture',
      { captureRequestId: `CAP_${randomUUID()}`, paymentId, captureAmount: { currency: 'EUR', value: '8000' }, isLastCapture: true },
      { offsetMinutes: -300 },
    );
    expectAccepted(cap);
    expect(cap.body.result.resultStatus).toBe('S');
    const refundRequestId = `REF_${randomUUID()}`;
    const ref = await phpSdk('payments/refund', { refundRequestId, paymentId, refundAmount: { currency: 'EUR', value: '1000' } });
    expectAccepted(ref);
    expectAccepted(await phpSdk('payments/inquiryRefund', { refundRequestId }));

    const other = fixturePay({ captureMode: 'MANUAL', value: '3000' });
    expect((await phpSdk('payments/pay', other)).body.result.resultStatus).toBe('S');
    const cancel = await phpSdk('payments/cancel', { paymentRequestId: other.paymentRequestId });
    expectAccepted(cancel);
    expect(cancel.body.result.resultStatus).toBe('S');
  });

  it('refusals reach both SDKs as signed HTTP 200 Antom answers they verify', async () => {
    const stranger = loadPrivateKey(generateRsaKeyPair().privateKeyPem);
    for (const a of [
      await dotnetSdk('payments/inquiryPayment', { paymentId: 'x' }, { signWith: stranger }),
      await phpSdk('payments/inquiryPayment', { paymentId: 'x' }, { signWith: stranger }),
    ]) {
      expectAccepted(a);
      expect(a.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    }
    const unknown = await dotnetSdk('payments/inquiryPayment', { paymentRequestId: `PAY_${randomUUID()}` });
    expectAccepted(unknown);
    expect(unknown.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' });
  });
});

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
