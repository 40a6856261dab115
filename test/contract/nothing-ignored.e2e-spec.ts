import { randomUUID } from 'node:crypto';

import { AntomClient } from '../../src/upstream/antom-client';
import { s2sPay } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';

/**
 * Issue 14, "nothing accepted and ignored": each request field Antom defines is either forwarded upstream
 * or refused with F PARAM_ILLEGAL naming it — never answered S and silently dropped.
 */
describe('request fields: forwarded or refused, never ignored', () => {
  let stack: TestStack;
  let sent: Array<{ api: string; payload: Record<string, unknown> }>;
  beforeAll(async () => {
    stack = await startTestStack({ WORKERS_ENABLED: 'false' });
    const client = stack.app.get(AntomClient);
    const call = client.call.bind(client);
    sent = [];
    jest.spyOn(client, 'call').mockImplementation((api: string, payload: object) => {
      sent.push({ api, payload: JSON.parse(JSON.stringify(payload)) });
      return call(api as never, payload as never);
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const upstream = (api: string) => sent.filter((s) => s.api === api).at(-1)!.payload;
  const manualPay = async (extra: Record<string, unknown> = {}) => {
    const res = await stack.merchant.post('payments/pay', { ...s2sPay({ captureMode: 'MANUAL', value: '5000' }), ...extra });
    return res;
  };

  it('pay: merchantRegion, userRegion and extendInfo are forwarded upstream as sent', async () => {
    const extendInfo = JSON.stringify({ channel: 'web' });
    const res = await manualPay({ merchantRegion: 'SG', userRegion: 'DE', extendInfo });
    expect(res.body.result.resultStatus).toBe('S');
    expect(upstream('payments/pay')).toMatchObject({ merchantRegion: 'SG', userRegion: 'DE', extendInfo });
  });

  it.each([
    [{ merchant: { referenceMerchantId: 'SUB_1', merchantMCC: '5411' } }, /^Illegal parameter merchant: is not supported/],
    [{ merchantRegion: 'Singapore' }, /^Illegal parameter merchantRegion: must be an ISO 3166 alpha-2 code/],
    [{ userRegion: 7 }, /^Illegal parameter userRegion:/],
  ])('pay: %j is refused with F PARAM_ILLEGAL naming the field, before anything goes upstream', async (extra, message) => {
    const before = sent.length;
    const res = await manualPay(extra);
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(message) });
    expect(sent.length).toBe(before);
  });

  async function captured() {
    const pay = await manualPay();
    const paymentId = pay.body.paymentId as string;
    const capture = await stack.merchant.post('payments/capture', {
      captureRequestId: randomUUID(),
      paymentId,
      captureAmount: { currency: 'EUR', value: '5000' },
    });
    expect(capture.body.result.resultCode).toBe('SUCCESS');
    return { paymentId, captureId: capture.body.captureId as string };
  }

  it("refund: captureId (the gateway's) is forwarded as the acquirer's capture id; referenceRefundId as sent", async () => {
    const { paymentId, captureId } = await captured();
    const upstreamCaptureId = (await stack.db.query('SELECT upstream_capture_id FROM capture WHERE capture_id = $1', [captureId]))[0]
      .upstream_capture_id;
    const res = await stack.merchant.post('payments/refund', {
      refundRequestId: randomUUID(),
      paymentId,
      refundAmount: { currency: 'EUR', value: '100' },
      captureId,
      referenceRefundId: 'RR-1',
    });
    expect(res.body.result.resultCode).toBe('SUCCESS');
    expect(upstream('payments/refund')).toMatchObject({ captureId: upstreamCaptureId, referenceRefundId: 'RR-1' });
  });

  it.each([
    [{ captureId: 'gwc_not_a_capture' }, /^Illegal parameter captureId: not a successful capture of this payment/],
    [{ refundDetails: [{ refundAmount: { currency: 'EUR', value: '100' } }] }, /^Illegal parameter refundDetails: is not supported/],
  ])('refund: %j is refused with F PARAM_ILLEGAL naming the field, nothing sent upstream', async (extra, message) => {
    const { paymentId } = await captured();
    const before = sent.length;
    const res = await stack.merchant.post('payments/refund', {
      refundRequestId: randomUUID(),
      paymentId,
      refundAmount: { currency: 'EUR', value: '100' },
      ...extra,
    });
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(message) });
    expect(sent.length).toBe(before);
  });
});
