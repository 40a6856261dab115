import { SandboxHarness, startSandboxHarness, upstreamPay } from '../support/sandbox-harness';

/**
 * A card number failing the Luhn check is refused like Antom refuses it (F INVALID_CARD_NUMBER), never
 * authorized: in the S2S pay and on the sandbox's hosted card page, where the payment stays open for the
 * buyer to type the number again (issue 25).
 */
describe('sandbox: card numbers failing Luhn', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await startSandboxHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const rows = async (paymentRequestId: string) =>
    Number((await h.pool.query(`SELECT count(*) AS n FROM sandbox.payment WHERE payment_request_id = $1`, [paymentRequestId])).rows[0].n);

  it('S2S pay: 4111111111111112 is F INVALID_CARD_NUMBER, nothing is stored, the number is not echoed', async () => {
    const req = upstreamPay(h, { cardNo: '4111111111111112' });
    const res = await h.client.post('payments/pay', req);
    expect(res.signatureValid).toBe(true);
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_NUMBER' });
    expect(res.raw).not.toContain('4111111111111112');
    expect(await rows(req.paymentRequestId)).toBe(0);
    expect((await h.client.post('payments/pay', upstreamPay(h, { cardNo: '4111111111111111' }))).body.result.resultStatus).toBe('S');
  });

  it('hosted card page: a Luhn-invalid number is refused (400) and the payment stays open; a valid one then pays', async () => {
    const req = upstreamPay(h);
    req.paymentMethod = { paymentMethodType: 'CARD' };
    const pay = (await h.client.post('payments/pay', req)).body;
    expect(pay.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
    const submit = (cardNo: string) =>
      fetch(pay.normalUrl, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ cardNo, expiryMonth: '12', expiryYear: '34', cvv: '123' }).toString(),
      });
    const bad = await submit('4111 1111 1111 1112');
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('Invalid card number.');
    expect(page).not.toContain('4111111111111112');
    expect(page).not.toContain('4111 1111 1111 1112');
    expect((await h.client.post('payments/inquiryPayment', { paymentId: pay.paymentId })).body.paymentStatus).toBe('PROCESSING');
    const good = await submit('4111111111111111');
    expect(good.status).toBe(303);
    await good.body?.cancel();
    const [n] = await h.receiver.waitFor((b) => b.notifyType === 'PAYMENT_RESULT' && b.paymentId === pay.paymentId);
    expect(n.body.result).toMatchObject({ resultStatus: 'S' });
  });
});
