import { notifyAsAcquirer } from '../support/acquirer-notify';
import { s2sPay } from '../support/fixtures';
import { waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/*
 * Issue 23: a merchant body naming `paymentAmount` twice was charged the second one (JSON.parse keeps the last,
 * another reader may keep the first). A body repeating a name in any object, at any depth, is now refused in
 * Antom's format: HTTP 200, signed, F PARAM_ILLEGAL naming the field; nothing is created or sent upstream. The
 * acquirer's notifications are held to the same rule (F PARAM_ILLEGAL, not applied, not acknowledged).
 */
describe('request bodies that repeat a field name', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const payments = async (paymentRequestId: string) =>
    Number((await stack.db.query('SELECT count(*) n FROM payment WHERE payment_request_id = $1', [paymentRequestId]))[0].n);

  it('refuses a pay with a second paymentAmount: signed F PARAM_ILLEGAL naming it, no payment made', async () => {
    const req = s2sPay({ value: '1000' });
    const text = JSON.stringify(req).slice(0, -1) + ',"paymentAmount":{"currency":"EUR","value":"2000"}}';
    const res = await stack.merchant.send('/ams/api/v1/payments/pay', text);
    expect(res.status).toBe(200);
    expect(res.signatureValid).toBe(true);
    expect(res.body).toEqual({
      result: { resultStatus: 'F', resultCode: 'PARAM_ILLEGAL', resultMessage: 'The request body names the field paymentAmount more than once.' },
    });
    expect(await payments(req.paymentRequestId)).toBe(0);
    // The same request without the repeat goes through.
    expect((await stack.merchant.post('payments/pay', req)).body.result.resultStatus).toBe('S');
  });

  it('refuses a repeat at any depth, or spelled with an escape, and names its path', async () => {
    const req = s2sPay();
    const meta = JSON.stringify(req.paymentMethod.paymentMethodMetaData);
    const nested = JSON.stringify(req).replace(meta, meta.slice(0, -1) + ',"cardNo":"4000000000000002"}');
    const deep = await stack.merchant.send('/ams/api/v1/payments/pay', nested);
    expect(deep.signatureValid).toBe(true);
    expect(deep.body.result).toEqual({
      resultStatus: 'F',
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: 'The request body names the field paymentMethod.paymentMethodMetaData.cardNo more than once.',
    });
    const escaped = JSON.stringify(req).slice(0, -1) + ',"p\\u0061ymentRequestId":"PAY_other"}';
    expect((await stack.merchant.send('/ams/api/v1/payments/pay', escaped)).body.result).toMatchObject({
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: expect.stringContaining('paymentRequestId'),
    });
    expect(await payments(req.paymentRequestId)).toBe(0);
    // Other APIs parse through the same guard.
    const inquiry = await stack.merchant.send('/ams/api/v1/payments/inquiryPayment', '{"paymentRequestId":"a","paymentRequestId":"b"}');
    expect(inquiry.body.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: 'The request body names the field paymentRequestId more than once.',
    });
  });

  it('refuses a signed acquirer notification that repeats a field: F PARAM_ILLEGAL naming it, not acknowledged', async () => {
    const pay = await stack.merchant.post('payments/pay', s2sPay());
    expect(pay.body.result.resultStatus).toBe('S');
    const upstream = (await stack.db.query('SELECT upstream_payment_id FROM payment WHERE payment_id = $1', [pay.body.paymentId]))[0]
      .upstream_payment_id;
    const sent = await waitFor(
      async () =>
        (
          await stack.db.query(`SELECT body FROM sandbox.notification WHERE notify_type = 'PAYMENT_RESULT' AND body::jsonb->>'paymentId' = $1`, [
            upstream,
          ])
        )[0],
      20_000,
    );
    // The genuine notice with a second `result` in front: JSON.parse would keep the genuine one, another reader the first.
    const text = '{"result":{"resultStatus":"F","resultCode":"PROCESS_FAIL","resultMessage":"x"},' + String(sent.body).slice(1);
    const answer = await notifyAsAcquirer(stack, text);
    expect(answer).toEqual({
      status: 200,
      body: { result: { resultStatus: 'F', resultCode: 'PARAM_ILLEGAL', resultMessage: 'The request body names the field result more than once.' } },
    });
    // The genuine one, as sent, is still acknowledged.
    expect((await notifyAsAcquirer(stack, String(sent.body))).body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
  });
});
