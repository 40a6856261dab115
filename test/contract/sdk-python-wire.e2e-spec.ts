import { constants, KeyObject, randomUUID, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import * as fs from 'node:fs';

import { generateRsaKeyPair, loadPrivateKey } from '../../src/antom/keys';
import { contentToSign } from '../../src/antom/signature';
import { GatewayConfig } from '../../src/config/gateway-config';
import { devCertFiles } from '../../src/platform/http/tls-material';
import { fixturePay, recordAnswer, SdkMerchant, sdkMerchant } from '../support/sdk-merchant';
import { pythonIsoSeconds, pythonJsonDumps, rawHttp, RawHttpAnswer } from '../support/sdk-wire';
import { startTestStack, TestStack } from '../support/stack';

const TRANSPORTS = [
  { name: 'plain TCP', overrides: {} },
  { name: 'native TLS', overrides: { TLS_DEV_CERT: 'true' } },
] as const;

/*
 * Antom's Python SDK (global-open-sdk-python 1.5.5) as it speaks on the wire, from its source:
 * - DefaultAlipayClient.execute: path `/ams/api/...`, rewritten to `/ams/sandbox/api/...` for SANDBOX_ ids;
 *   Request-Time from tools/date_tools.get_cur_iso8601_time (`2026-01-02T03:04:05+00:00`, whole seconds);
 *   body from request.to_ams_json (`json.dumps(..., indent=3)`, ASCII-escaped); signs `POST <path>` only;
 *   headers, in this order and case: Content-type, Accept, Cache-Control, Connection, User-Agent,
 *   Request-Time, client-id, Signature (`algorithm=RSA256,keyVersion=1,signature=<quote_plus(base64)>`).
 * - net/default_http_rpc.do_post: `connection.request("POST", url, ...)` with the full URL, so http.client
 *   writes the absolute-form request line and adds Host, Accept-Encoding: identity and Content-Length first.
 * - Reading the answer: HTTP status must be 200; header names compared exactly with "signature",
 *   "response-time", "client-id" (lower case); the value after "signature=" is unquote_plus'ed and verified
 *   over `POST <path>` (the origin-form path it signed), the response client-id and response-time.
 * - net/default_http_rpc.__get_http_connection: always HTTPSConnection(hostname of gateway_url, port=443,
 *   context=ssl._create_unverified_context()): the scheme and any port in gateway_url are ignored, and the
 *   server certificate is not verified at all. http.client then writes `Host: <hostname>` (443 is the default).
 * Each case runs twice: the same bytes over plain TCP to the gateway's port (the request line may name any
 * scheme and port), and inside TLS to the gateway's native TLS listener (TLS_DEV_CERT), as the SDK does with
 * gateway_url `https://127.0.0.1` (the stack's port standing in for 443; the test client does verify the
 * development certificate, stricter than the SDK).
 */
const USER_AGENT = 'global-open-sdk-python/1.5.5';

interface PythonAnswer {
  http: RawHttpAnswer;
  body: any;
  verified: boolean;
}

describe.each(TRANSPORTS)(
  'Antom Python SDK wire habits (absolute-form request line, indent=3 JSON, ISO-second +00:00) over $name',
  ({ overrides }) => {
    const overTls = 'TLS_DEV_CERT' in overrides;
    let tlsCa: string | undefined;
    let stack: TestStack;
    let sandboxMerchant: SdkMerchant;
    let liveMerchant: SdkMerchant;
    let port: number;

    beforeAll(async () => {
      stack = await startTestStack({ ...overrides });
      if (overTls) tlsCa = fs.readFileSync(devCertFiles(stack.app.get(GatewayConfig).dataDir).cert, 'utf8');
      sandboxMerchant = await sdkMerchant(stack, true);
      liveMerchant = await sdkMerchant(stack, false);
      port = Number(new URL(stack.gatewayUrl).port);
    });
    afterAll(async () => {
      await stack?.stop();
    });

    /** The request bytes http.client writes for DefaultAlipayClient.execute (captured from CPython 3.11). */
    function pythonRequest(
      m: SdkMerchant,
      gatewayUrl: string,
      path: string,
      payload: object,
      o: { signWith?: KeyObject; keyVersion?: string } = {},
    ): Buffer {
      const reqTime = pythonIsoSeconds();
      const reqBody = pythonJsonDumps(payload, 3);
      const raw = rsaSign('sha256', contentToSign({ method: 'POST', path, clientId: m.clientId, time: reqTime, body: reqBody }), {
        key: o.signWith ?? m.privateKey,
        padding: constants.RSA_PKCS1_PADDING,
      });
      const signValue = quotePlus(raw.toString('base64'));
      const url = gatewayUrl + path;
      const body = Buffer.from(reqBody, 'utf8');
      const lines = [
        `POST ${url} HTTP/1.1`,
        `Host: ${new URL(url).host}`,
        'Accept-Encoding: identity',
        `Content-Length: ${body.length}`,
        'Content-type: application/json; charset=UTF-8',
        'Accept: text/plain,text/xml,text/javascript,text/html',
        'Cache-Control: no-cache',
        'Connection: Keep-Alive',
        `User-Agent: ${USER_AGENT}`,
        `Request-Time: ${reqTime}`,
        `client-id: ${m.clientId}`,
        `Signature: algorithm=RSA256,keyVersion=${o.keyVersion ?? '1'},signature=${signValue}`,
      ];
      return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]);
    }

    /** DefaultAlipayClient.execute, request and answer handling both. */
    async function pythonSdk(
      m: SdkMerchant,
      api: string,
      payload: object,
      o: { form?: 'sdk' | 'short'; scheme?: string; signWith?: KeyObject; keyVersion?: string } = {},
    ): Promise<PythonAnswer> {
      let path = o.form === 'short' ? `/v1/${api}` : `/ams/api/v1/${api}`;
      if (m.clientId.startsWith('SANDBOX_')) path = path.replace('/ams/api', '/ams/sandbox/api'); // adjust_sandbox_url
      // Over TLS: gateway_url as the SDK needs it (https, no port: it dials 443 whatever the URL says).
      const gatewayUrl = overTls ? 'https://127.0.0.1' : `${o.scheme ?? 'http'}://127.0.0.1:${port}`;
      const http = await rawHttp(port, pythonRequest(m, gatewayUrl, path, payload, o), '127.0.0.1', { tlsCa });
      recordAnswer(http.body);
      // __parse_header: exact, lower-case names; the signature is what follows "signature=".
      const exact = (name: string) => http.headerLines.find(([k]) => k === name)?.[1];
      const rspSignature = exact('signature')?.split('signature=')[1];
      const responseTime = exact('response-time');
      const clientId = exact('client-id');
      let verified = false;
      if (rspSignature && responseTime && clientId) {
        const signature = Buffer.from(unquotePlus(rspSignature), 'base64');
        verified = rsaVerify(
          'sha256',
          contentToSign({ method: 'POST', path, clientId, time: responseTime, body: http.body }),
          { key: m.gatewayKey, padding: constants.RSA_PKCS1_PADDING },
          signature,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(http.body);
      } catch {
        body = undefined;
      }
      return { http, body, verified };
    }

    function expectSdkAccepts(a: PythonAnswer) {
      expect(a.http.status).toBe(200); // do_post: anything else is AlipayApiException
      expect(a.http.headerLines.map(([k]) => k)).toEqual(expect.arrayContaining(['signature', 'response-time', 'client-id']));
      expect(a.verified).toBe(true);
      expect(a.body.result).toEqual({
        resultCode: expect.any(String),
        resultStatus: expect.stringMatching(/^[SFU]$/),
        resultMessage: expect.any(String),
      });
    }

    it('reproduces json.dumps(indent=3) and the SDK time format exactly (values captured from CPython 3.11)', () => {
      expect(pythonJsonDumps({ a: 'Caf\u00e9 \u5496\u5561 \u{1F600}"\n', b: [], c: {}, d: [1, true, null, { e: ['f'] }] }, 3)).toBe(
        '{\n   "a": "Caf\\u00e9 \\u5496\\u5561 \\ud83d\\ude00\\"\\n",\n   "b": [],\n   "c": {},\n   "d": [\n      1,\n      true,\n      null,\n' +
          '      {\n         "e": [\n            "f"\n         ]\n      }\n   ]\n}',
      );
      expect(pythonIsoSeconds(1767323045999)).toBe('2026-01-02T03:04:05+00:00');
    });

    it('every merchant API, absolute-form request line, sandbox path: signed HTTP 200 answers the SDK verifies', async () => {
      const m = sandboxMerchant;
      const pay = fixturePay({ captureMode: 'MANUAL', value: '8000' });
      pay.order.orderDescription = 'Caf\u00e9 \u5496\u5561'; // ensure_ascii escapes: the signature covers the escaped bytes
      const paid = await pythonSdk(m, 'payments/pay', pay);
      expectSdkAccepts(paid);
      expect(paid.body).toMatchObject({ result: { resultStatus: 'S' }, paymentRequestId: pay.paymentRequestId, paymentId: expect.any(String) });
      const paymentId = paid.body.paymentId;

      const inq = await pythonSdk(m, 'payments/inquiryPayment', { paymentId });
      expectSdkAccepts(inq);
      expect(inq.body).toMatchObject({ result: { resultStatus: 'S' }, paymentId, paymentStatus: 'SUCCESS' });

      const cap = await pythonSdk(m, 'payments/capture', {
        captureRequestId: `CAP_${randomUUID()}`,
        paymentId,
        captureAmount: { currency: 'EUR', value: '8000' },
        isLastCapture: true,
      });
      expectSdkAccepts(cap);
      expect(cap.body).toMatchObject({ result: { resultStatus: 'S' }, paymentId });

      const refundRequestId = `REF_${randomUUID()}`;
      const ref = await pythonSdk(
        m,
        'payments/refund',
        { refundRequestId, paymentId, refundAmount: { currency: 'EUR', value: '1000' } },
        { scheme: 'https' },
      );
      expectSdkAccepts(ref);
      expect(['S', 'U']).toContain(ref.body.result.resultStatus);

      const ir = await pythonSdk(m, 'payments/inquiryRefund', { refundRequestId }, { form: 'short' });
      expectSdkAccepts(ir);

      const other = fixturePay({ captureMode: 'MANUAL', value: '3000' });
      const paid2 = await pythonSdk(m, 'payments/pay', other, { form: 'short' });
      expectSdkAccepts(paid2);
      const cancel = await pythonSdk(m, 'payments/cancel', { paymentRequestId: other.paymentRequestId });
      expectSdkAccepts(cancel);
      expect(cancel.body).toMatchObject({ result: { resultStatus: 'S' }, paymentRequestId: other.paymentRequestId });
    });

    it('the production path (/ams/api) and the https scheme in the request line are verified over the origin-form too', async () => {
      const a = await pythonSdk(liveMerchant, 'payments/inquiryPayment', { paymentRequestId: `PAY_${randomUUID()}` }, { scheme: 'https' });
      expectSdkAccepts(a);
      expect(a.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' });
    });

    it('refusals in absolute-form are signed HTTP 200 Antom answers: bad signature, unknown API', async () => {
      const bad = await pythonSdk(
        sandboxMerchant,
        'payments/inquiryPayment',
        { paymentId: 'x' },
        { signWith: loadPrivateKey(generateRsaKeyPair().privateKeyPem) },
      );
      expectSdkAccepts(bad);
      expect(bad.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
      const missing = await pythonSdk(sandboxMerchant, 'payments/noSuchApi', { paymentId: 'x' });
      expectSdkAccepts(missing);
      expect(missing.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'NO_INTERFACE_DEF' });
      expect(missing.body.result.resultMessage).toContain('/ams/sandbox/api/v1/payments/noSuchApi');
      expect(missing.body.result.resultMessage).not.toContain('127.0.0.1');
    });
  },
);

/** urllib.parse.quote_plus on base64: only `+`, `/`, `=` need escaping, upper-case hex. */
function quotePlus(s: string): string {
  return s.replace(/[^A-Za-z0-9_.~-]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** urllib.parse.unquote_plus: `+` is a space, then percent-decoding. */
function unquotePlus(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}
