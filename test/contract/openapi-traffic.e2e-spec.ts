import { randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';

import { request } from 'undici';

import { loadPublicKey } from '../../src/antom/keys';
import { NOTIFY_ACK } from '../../src/antom/notify-ack';
import { CollectSessionService } from '../../src/pci/card-collection/collect/collect-session.service';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { s2sPay } from '../support/fixtures';
import { NotifyReceiver } from '../support/notify-receiver';
import { OpenApiSchemas } from '../support/openapi-ajv';
import { startTestStack, TestStack } from '../support/stack';
import { cardMeta, tokenPay } from '../vault/support';

/*
 * The served /openapi.json against real traffic: every request sent and every answer and notification
 * received in one run through gateway + sandbox is validated with Ajv against the document's own schemas
 * (found by path and by notifyType, as a client generated from the document would). Requests sent bad on
 * purpose must fail the request schema too. One mismatch fails the suite, listed with Ajv's errors.
 */
const DISPUTE_CARD = '4000000000000259';

/** A small PDF, Base64, as supplyDefenseDocument takes it. */
function pdf(text: string): string {
  const stream = deflateSync(Buffer.from(`BT /F1 11 Tf 40 780 Td (${text}) Tj ET`));
  return Buffer.concat([
    Buffer.from('%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n'),
    stream,
    Buffer.from('\nendstream\nendobj\n%%EOF\n'),
  ]).toString('base64');
}

interface Exchange {
  path: string;
  request: unknown;
  answer: unknown;
  headers: Record<string, unknown>;
  invalid?: boolean;
}

describe('the OpenAPI document against the traffic of a run through the gateway', () => {
  let stack: TestStack;
  let receiver: NotifyReceiver;
  let doc: any;
  let schemas: OpenApiSchemas;
  const exchanges: Exchange[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ WORKER_POLL_MS: '50', NOTIFY_TIME_SCALE: '0.001', SANDBOX_DISPUTE_DELAY_SECONDS: '1' });
    receiver = await new NotifyReceiver(loadPublicKey(stack.app.get(GatewaySigningKey).publicKeyPem)).start();
  });
  afterAll(async () => {
    await receiver?.close();
    await stack?.stop();
  });

  const notifyUrl = () => `${receiver.url}/notify`;
  const eur = (value: string) => ({ currency: 'EUR', value });

  async function call(path: string, body: Record<string, unknown>, opts: { invalid?: boolean } = {}) {
    const res = await stack.merchant.send(path, JSON.stringify(body));
    exchanges.push({ path, request: body, answer: res.body, headers: res.headers, invalid: opts.invalid });
    expect(res.signatureValid).toBe(true);
    return res.body;
  }
  const api = (name: string, body: Record<string, unknown>, opts: { invalid?: boolean } = {}) => call(`/ams/api/v1/${name}`, body, opts);

  it('serves the document without credentials, cacheable and revalidated by its ETag', async () => {
    const res = await request(`${stack.gatewayUrl}/openapi.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toMatch(/public, max-age=\d+/);
    const etag = String(res.headers.etag);
    doc = await res.body.json();
    expect(doc.openapi).toBe('3.1.0');
    schemas = new OpenApiSchemas(doc);
    const again = await request(`${stack.gatewayUrl}/openapi.json`, { headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    await again.body.dump();
  });

  it('drives pay, capture, cancel, refund, both inquiries and the card vault, over all three path forms', async () => {
    // pay S (manual capture), capture in two parts, refund, inquiries
    const pay = await api('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '10000', notifyUrl: notifyUrl() }));
    expect(pay.result.resultStatus).toBe('S');
    const cap = await api('payments/capture', { captureRequestId: randomUUID(), paymentId: pay.paymentId, captureAmount: eur('6000') });
    expect(cap.result.resultStatus).toBe('S');
    await api('payments/capture', { captureRequestId: randomUUID(), paymentId: pay.paymentId, captureAmount: eur('9999') }); // F: beyond the authorization
    const last = await call('/ams/sandbox/api/v1/payments/capture', {
      captureRequestId: randomUUID(),
      paymentId: pay.paymentId,
      captureAmount: { currency: 'EUR', value: 1000 },
      isLastCapture: 'true',
    });
    expect(last.result.resultStatus).toBe('S');
    const refund = await api('payments/refund', {
      refundRequestId: randomUUID(),
      paymentId: pay.paymentId,
      refundAmount: eur('2500'),
      refundReason: 'returned',
      refundNotifyUrl: notifyUrl(),
    });
    expect(refund.result.resultStatus).toBe('S');
    await api('payments/refund', { refundRequestId: randomUUID(), paymentId: pay.paymentId, refundAmount: eur('99999') }); // F
    await api('payments/inquiryRefund', { refundId: refund.refundId });
    await call('/v1/payments/inquiryRefund', { refundRequestId: refund.refundRequestId });
    const inquiry = await api('payments/inquiryPayment', { paymentId: pay.paymentId });
    expect(inquiry.transactions.length).toBeGreaterThanOrEqual(4);
    await api('payments/inquiryPayment', { paymentRequestId: `PAY_${randomUUID()}` }); // F ORDER_NOT_EXIST

    // pay S with automatic capture: the acquirer's capture notification books it and notifies CAPTURE_RESULT
    const auto = await call('/ams/sandbox/api/v1/payments/pay', s2sPay({ value: '4200', notifyUrl: notifyUrl() }));
    expect(auto.result.resultStatus).toBe('S');

    // cancel an authorization, then inquire the cancelled payment
    const toCancel = await call('/v1/payments/pay', s2sPay({ captureMode: 'MANUAL', notifyUrl: notifyUrl() }));
    const cancel = await api('payments/cancel', { paymentRequestId: toCancel.paymentRequestId });
    expect(cancel.result.resultStatus).toBe('S');
    await api('payments/inquiryPayment', { paymentRequestId: toCancel.paymentRequestId });
    await api('payments/capture', { captureRequestId: randomUUID(), paymentId: toCancel.paymentId, captureAmount: eur('100') }); // F AUTH_CANCELLED

    // pay F (declined), pay U (3DS: PAYMENT_IN_PROCESS with the buyer's next step), and its inquiry
    const declined = await api('payments/pay', s2sPay({ cardNo: '4000000000000002', notifyUrl: notifyUrl() }));
    expect(declined.result.resultStatus).toBe('F');
    const threeDs = await api('payments/pay', s2sPay({ cardNo: '4000000000003220', notifyUrl: notifyUrl() }));
    expect(threeDs.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    await api('payments/inquiryPayment', { paymentId: threeDs.paymentId });

    // bad input: F PARAM_ILLEGAL answers, and the request schema refuses the same bodies
    const noAmount = s2sPay() as Record<string, unknown>;
    delete noAmount.paymentAmount;
    expect((await api('payments/pay', noAmount, { invalid: true })).result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(
      (await api('payments/capture', { captureRequestId: randomUUID(), paymentId: pay.paymentId, captureAmount: eur('1.5') }, { invalid: true }))
        .result.resultCode,
    ).toBe('PARAM_ILLEGAL');
    expect(
      (
        await api(
          'payments/refund',
          { refundRequestId: randomUUID(), paymentId: pay.paymentId, refundAmount: eur('1'), isAsyncRefund: 'yes' },
          { invalid: true },
        )
      ).result.resultCode,
    ).toBe('PARAM_ILLEGAL');

    // the card vault: store, pay with the token, open a hosted collection session, delete
    const stored = await api('cards', { paymentMethodMetaData: cardMeta(), isCardOnFile: true });
    expect(stored.result.resultStatus).toBe('S');
    expect((await api('payments/pay', tokenPay(stored.cardToken))).result.resultStatus).toBe('S');
    const merchantId = (await stack.db.query('SELECT id FROM merchant WHERE client_id = $1', [stack.merchant.clientId]))[0].id as string;
    await stack.app.get(CollectSessionService).setAllowedOrigins(merchantId, ['https://shop.example']);
    expect((await call('/v1/cards/collectSession', { parentOrigin: 'https://shop.example', isCardOnFile: false })).result.resultStatus).toBe('S');
    expect((await api('cards/delete', { cardToken: stored.cardToken })).deleted).toBe(true);
    expect((await api('cards', {}, { invalid: true })).result.resultCode).toBe('PARAM_ILLEGAL');

    // the notifications: each final outcome of the run, in its webhook's shape
    await receiver.waitFor((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === declined.paymentId);
    await receiver.waitFor((b) => b.notifyType === 'CAPTURE_RESULT' && b.paymentId === auto.paymentId);
    await receiver.waitFor((b) => b.notifyType === 'CAPTURE_RESULT' && b.paymentId === pay.paymentId);
    await receiver.waitFor((b) => b.notifyType === 'REFUND_RESULT' && b.refundId === refund.refundId);
  });

  it('drives updateAmount, getCardInfo, inquireInstallment, consult, the dispute APIs and vaulting', async () => {
    // updateAmount on a MANUAL authorization: S, its replay, F beyond nothing to raise (ORDER_NOT_EXIST), bad input
    const manual = await api('payments/pay', s2sPay({ captureMode: 'MANUAL', value: '10000', notifyUrl: notifyUrl() }));
    expect(manual.result.resultStatus).toBe('S');
    const updateRequestId = randomUUID();
    const up = await api('payments/updateAmount', { updateRequestId, paymentId: manual.paymentId, amount: eur('15000') });
    expect(up.result.resultStatus).toBe('S');
    await call('/ams/sandbox/api/v1/payments/updateAmount', { updateRequestId, paymentId: manual.paymentId, amount: eur('15000') });
    expect(
      (await api('payments/updateAmount', { updateRequestId: randomUUID(), paymentId: 'gwp_nope', amount: eur('100') })).result.resultStatus,
    ).toBe('F');
    expect(
      (await api('payments/updateAmount', { updateRequestId: randomUUID(), paymentId: manual.paymentId }, { invalid: true })).result.resultCode,
    ).toBe('PARAM_ILLEGAL');

    // getCardInfo by BIN (with and without a region), by card number, and refused; inquireInstallment
    expect((await api('payments/getCardInfo', { cardBin: '411111' })).result.resultStatus).toBe('S');
    await api('payments/getCardInfo', { cardBin: '411111', paymentMethodRegion: 'FR' });
    await call('/v1/payments/getCardInfo', { cardNo: '4117347806156383' });
    expect((await api('payments/getCardInfo', { cardBin: '41' }, { invalid: true })).result.resultCode).toBe('PARAM_ILLEGAL');
    expect((await api('payments/inquireInstallment', {})).result.resultStatus).toBe('S');
    expect((await api('payments/inquireInstallment', { merchantAccountId: 'other' }, { invalid: true })).result.resultCode).toBe('PARAM_ILLEGAL');
    // consult (cards): the option with installments, none, and refused
    expect(
      (
        await api('payments/consult', {
          productCode: 'CASHIER_PAYMENT',
          paymentAmount: { currency: 'USD', value: '1000' },
          userRegion: 'US',
          env: { terminalType: 'WEB' },
        })
      ).paymentOptions,
    ).toHaveLength(1);
    await call('/v1/payments/consult', {
      productCode: 'CASHIER_PAYMENT',
      paymentAmount: eur('1000'),
      allowedPaymentMethods: ['CARD'],
      blockedPaymentMethods: ['CARD'],
    });
    expect(
      (await api('payments/consult', { productCode: 'CASHIER_PAYMENT', paymentAmount: eur('1000'), merchantAccountId: 'other' }, { invalid: true }))
        .result.resultCode,
    ).toBe('PARAM_ILLEGAL');

    // two chargebacks drawn by the sandbox's dispute card: one defended (and its evidence downloaded), one accepted
    const [toDefend, toAccept] = await Promise.all(
      [1, 2].map(() => api('payments/pay', s2sPay({ cardNo: DISPUTE_CARD, value: '2500', notifyUrl: notifyUrl() }))),
    );
    const disputeOf = async (paymentId: string) =>
      (await receiver.waitFor((b) => b.paymentId === paymentId && b.disputeNotificationType === 'DISPUTE_CREATED', 1, 15_000))[0].body
        .disputeId as string;
    const [defended, accepted] = await Promise.all([disputeOf(toDefend.paymentId), disputeOf(toAccept.paymentId)]);
    expect(
      (await api('payments/supplyDefenseDocument', { disputeId: defended, disputeEvidence: pdf('delivered on time') })).result.resultStatus,
    ).toBe('S');
    expect(
      (await api('payments/downloadDisputeEvidence', { disputeId: defended, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' })).result.resultStatus,
    ).toBe('S');
    await call('/ams/sandbox/api/v1/payments/downloadDisputeEvidence', { disputeId: defended, disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' });
    expect((await api('payments/acceptDispute', { disputeId: accepted })).result.resultStatus).toBe('S');
    await api('payments/acceptDispute', { disputeId: accepted }); // the stored acceptance again
    expect((await api('payments/acceptDispute', { disputeId: 'gwd_nope' })).result.resultCode).toBe('ORDER_NOT_EXIST');
    expect((await api('payments/acceptDispute', {}, { invalid: true })).result.resultCode).toBe('PARAM_ILLEGAL');
    expect(
      (await api('payments/downloadDisputeEvidence', { disputeId: defended, disputeEvidenceType: 'PHOTO' }, { invalid: true })).result.resultCode,
    ).toBe('PARAM_ILLEGAL');

    // vaulting: server to server (S, then notifyVaulting), its inquiry, a session left open (U), bad input
    const vaultingRequestId = randomUUID();
    const vaulted = await api('vaults/vaultPaymentMethod', {
      vaultingRequestId,
      vaultingNotificationUrl: notifyUrl(),
      paymentMethodDetail: { paymentMethodDetailType: 'CARD', card: cardMeta() },
    });
    expect(vaulted.result.resultStatus).toBe('S');
    await api('vaults/inquireVaulting', { vaultingRequestId });
    const sessionId = randomUUID();
    expect(
      (
        await call('/v1/vaults/createVaultingSession', {
          paymentMethodType: 'CARD',
          vaultingRequestId: sessionId,
          vaultingNotificationUrl: notifyUrl(),
        })
      ).result.resultStatus,
    ).toBe('S');
    expect((await api('vaults/vaultPaymentMethod', { vaultingRequestId: sessionId })).result.resultStatus).toBe('U');
    await api('vaults/inquireVaulting', { vaultingRequestId: sessionId });
    expect(
      (await api('vaults/vaultPaymentMethod', { paymentMethodDetail: { paymentMethodDetailType: 'COUPON', card: cardMeta() } }, { invalid: true }))
        .result.resultCode,
    ).toBe('PARAM_ILLEGAL');

    await receiver.waitFor((b) => b.notifyType === 'UPDATE_AMOUNT_RESULT' && b.updateRequestId === updateRequestId);
    await receiver.waitFor((b) => b.vaultingRequestId === vaultingRequestId);
  }, 60_000);

  it('every request, answer and notification of the run matches the document', () => {
    const problems: string[] = [];
    const schemaOf = (content: any) => OpenApiSchemas.nameOf(content['application/json'].schema);
    for (const x of exchanges) {
      const op = doc.paths[x.path]?.post;
      if (!op) {
        problems.push(`${x.path}: not in the document`);
        continue;
      }
      const req = schemas.problems(schemaOf(op.requestBody.content), x.request);
      if (x.invalid && req === null) problems.push(`${x.path}: the request schema accepts a body the gateway refused: ${JSON.stringify(x.answer)}`);
      if (!x.invalid && req) problems.push(`${x.path} request: ${req.join('; ')}`);
      const response = op.responses['200'];
      const ans = schemas.problems(schemaOf(response.content), x.answer);
      if (ans) problems.push(`${x.path} answer ${JSON.stringify((x.answer as { result?: unknown }).result)}: ${ans.join('; ')}`);
      for (const h of Object.keys(response.headers)) if (!x.headers[h.toLowerCase()]) problems.push(`${x.path}: no ${h} header`);
    }
    const hooks = Object.values(doc.webhooks).map((w: any) => schemaOf(w.post.requestBody.content));
    // Found by notifyType where the webhook has one; notifyVaulting and notifyDispute have none (as Antom's):
    // they are told apart by the field only each carries, as a receiver of both on one URL must.
    const byType = new Map(
      hooks
        .filter((name) => doc.components.schemas[name].properties.notifyType)
        .map((name) => [doc.components.schemas[name].properties.notifyType.const as string, name]),
    );
    const byShape: Array<[string, string]> = [
      ['disputeNotificationType', 'DisputeNotification'],
      ['vaultingRequestId', 'VaultingResultNotification'],
    ];
    for (const [, name] of byShape) expect(hooks).toContain(name);
    const used = new Set<string>();
    for (const n of receiver.received) {
      const name = n.body?.notifyType !== undefined ? byType.get(n.body.notifyType) : byShape.find(([field]) => n.body?.[field] !== undefined)?.[1];
      if (name) used.add(name);
      if (!name) problems.push(`a notification of no documented notifyType or shape: ${JSON.stringify(n.body).slice(0, 200)}`);
      else {
        const p = schemas.problems(name, n.body);
        if (p) problems.push(`${name}: ${p.join('; ')}`);
      }
      for (const h of ['client-id', 'request-time', 'signature']) if (!n.headers[h]) problems.push(`${n.body?.notifyType}: no ${h} header`);
    }
    expect(schemas.problems('NotifyAck', NOTIFY_ACK)).toBeNull();

    expect(problems).toEqual([]);
    // The run covered what the document describes: all nineteen APIs, the three path forms, every webhook, S, F and U.
    expect(new Set(exchanges.map((x) => x.path.replace(/^\/(ams\/(sandbox\/)?api\/)?v1\//, ''))).size).toBe(19);
    expect(new Set(exchanges.map((x) => (x.path.startsWith('/v1/') ? 'short' : x.path.split('/')[2]))).size).toBe(3);
    expect([...new Set(receiver.received.map((n) => n.body.notifyType).filter((t) => t !== undefined))].sort()).toEqual([
      'CAPTURE_RESULT',
      'PAYMENT_RESULT',
      'REFUND_RESULT',
      'UPDATE_AMOUNT_RESULT',
    ]);
    expect([...used].sort()).toEqual([...hooks].sort());
    expect(new Set(exchanges.map((x) => (x.answer as { result: { resultStatus: string } }).result.resultStatus))).toEqual(new Set(['S', 'F', 'U']));
  });
});
