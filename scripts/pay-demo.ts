/**
 * `npm run pay:demo`: sends the seed's server-to-server pay (fresh ids) through the running gateway
 * as the demo merchant, verifies the gateway's signature on the answer, then inquires.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadPrivateKey, loadPublicKey } from '../src/antom/keys';
import { formatResponseTime } from '../src/antom/request-time';
import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../src/antom/signature';

const dataDir = path.resolve(process.env.GATEWAY_DATA_DIR ?? './.data');
const merchantFile = path.join(dataDir, 'dev', 'merchant.json');

async function call(api: string, payload: object) {
  const m = JSON.parse(fs.readFileSync(merchantFile, 'utf8'));
  const pathName = `/ams/api/v1/${api}`;
  const body = JSON.stringify(payload);
  const time = formatResponseTime();
  const signature = sign({ path: pathName, clientId: m.clientId, time, body }, loadPrivateKey(m.privateKey));
  const res = await fetch(m.baseUrl + pathName, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': m.clientId,
      'request-time': time,
      signature: formatSignatureHeader(signature),
    },
  });
  const raw = await res.text();
  const sig = parseSignatureHeader(res.headers.get('signature') ?? undefined);
  const verified =
    !!sig &&
    verify(
      { path: pathName, clientId: res.headers.get('client-id') ?? '', time: res.headers.get('response-time') ?? '', body: raw },
      sig.signature,
      loadPublicKey(m.gatewayPublicKey),
    );
  return { verified, body: JSON.parse(raw) };
}

async function main() {
  if (!fs.existsSync(merchantFile)) throw new Error(`${merchantFile} not found: start the gateway first with npm start`);
  const seed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/pay-server-to-server.json'), 'utf8'));
  seed.paymentRequestId = `PAY_DEMO_${randomUUID()}`;
  seed.order.referenceOrderId = `ORDER_DEMO_${Date.now()}`;
  delete seed.paymentNotifyUrl; // the seed's URL is a public host; set PAY_DEMO_NOTIFY_URL to receive notifications
  if (process.env.PAY_DEMO_NOTIFY_URL) seed.paymentNotifyUrl = process.env.PAY_DEMO_NOTIFY_URL;
  const pay = await call('payments/pay', seed);
  console.log(`pay            → signature ${pay.verified ? 'verified' : 'INVALID'}`);
  console.log(JSON.stringify(pay.body, null, 2));
  if (!pay.body.paymentId) return;
  const inquiry = await call('payments/inquiryPayment', { paymentId: pay.body.paymentId });
  console.log(`inquiryPayment → signature ${inquiry.verified ? 'verified' : 'INVALID'}, paymentStatus ${inquiry.body.paymentStatus}`);
}

main().catch((e) => {
  console.error(`pay:demo failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
