import { loadPrivateKey, loadPublicKey } from '../../src/antom/keys';
import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../../src/antom/signature';
import { SandboxHarness, startSandboxHarness, upstreamPay } from '../support/sandbox-harness';
import { pythonIsoSeconds, pythonJsonDumps, rawHttp } from '../support/sdk-wire';

/*
 * The sandbox stands in for Antom, so an Antom SDK pointed at it must work as against Antom: the Python
 * SDK writes the absolute-form request line (`POST http://host/ams/... HTTP/1.1`) and signs only the
 * path, and verifies the answer over that path. The sandbox verifies and signs over the origin-form too.
 */
describe("sandbox: an absolute-form request line, as Antom's Python SDK sends it", () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('is verified over the path the SDK signed and answered signed over that same path', async () => {
    const path = '/ams/api/v1/payments/pay';
    const body = pythonJsonDumps(upstreamPay(h), 3);
    const time = pythonIsoSeconds();
    const clientId = h.client.clientId;
    const signature = sign({ path, clientId, time, body }, loadPrivateKey(h.clientPrivateKeyPem));
    const url = new URL(path, h.sandbox.url);
    const request = Buffer.from(
      [
        `POST ${url.href} HTTP/1.1`,
        `Host: ${url.host}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Content-type: application/json; charset=UTF-8',
        `Request-Time: ${time}`,
        `client-id: ${clientId}`,
        `Signature: ${formatSignatureHeader(signature)}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
    const answer = await rawHttp(Number(url.port), request);
    expect(answer.status).toBe(200);
    const parsed = JSON.parse(answer.body);
    expect(parsed.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    const sig = parseSignatureHeader(answer.header('signature'))!;
    const signed = { path, clientId: answer.header('client-id')!, time: answer.header('response-time')!, body: answer.body };
    expect(verify(signed, sig.signature, loadPublicKey(h.sandboxPublicKeyPem))).toBe(true);
  });
});
