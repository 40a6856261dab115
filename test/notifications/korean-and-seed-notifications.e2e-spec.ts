import { notifyAsAcquirer } from '../support/acquirer-notify';
import { s2sPay, seedExample } from '../support/fixtures';
import { goDecodeProblems } from '../support/go-decode';
import { startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

type Pay = ReturnType<typeof s2sPay>;

/** Korean local cards without issuer authentication, and the seed's notification examples through the gateway. */
describe('Korean local cards and the seed notifications through the gateway', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    [stack, receiver] = await Promise.all([startTestStack({ WORKER_POLL_MS: '50' }), startReceiver()]);
  });
  afterAll(async () => {
    await Promise.all([stack?.stop(), receiver?.close()]);
  });

  const row = async (paymentId: string) =>
    (await stack.db.query('SELECT id, status, upstream_payment_id FROM payment WHERE payment_id = $1', [paymentId]))[0];
  const merchantNotice = (paymentId: string) =>
    receiver.received.map((r) => JSON.parse(r.body)).find((b) => b.paymentId === paymentId && b.notifyType === 'PAYMENT_RESULT');

  describe('Korean local card without issuer authentication', () => {
    const korean = (meta: Record<string, unknown>): Pay => {
      const req = s2sPay({ currency: 'KRW', value: '12000' });
      Object.assign(req.paymentMethod.paymentMethodMetaData, { paymentMethodRegion: 'KR', enableAuthenticationUpgrade: false, ...meta });
      return req;
    };

    it.each([
      ['no date of birth nor business number', { cardPasswordDigest: '73' }, /dateOfBirth \(YYMMDD\) or .*businessNo \(10 digits\)/],
      [
        'a malformed date of birth',
        { dateOfBirth: '1990-01', cardPasswordDigest: '73' },
        /Illegal parameter paymentMethod\.paymentMethodMetaData\.dateOfBirth/,
      ],
      [
        'a malformed business number',
        { businessNo: '12345', cardPasswordDigest: '73' },
        /Illegal parameter paymentMethod\.paymentMethodMetaData\.businessNo/,
      ],
      ['no card password digest', { dateOfBirth: '900131' }, /need paymentMethod\.paymentMethodMetaData\.cardPasswordDigest/],
      [
        'a malformed card password digest',
        { dateOfBirth: '900131', cardPasswordDigest: '7' },
        /Illegal parameter paymentMethod\.paymentMethodMetaData\.cardPasswordDigest/,
      ],
    ])('refuses %s with PARAM_ILLEGAL, before anything goes upstream', async (_what, meta, message) => {
      const before = Number((await stack.db.query('SELECT count(*) n FROM sandbox.payment'))[0].n);
      const res = await stack.merchant.post('payments/pay', korean(meta));
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
      expect(res.body.result.resultMessage).toMatch(message);
      expect(Number((await stack.db.query('SELECT count(*) n FROM sandbox.payment'))[0].n)).toBe(before);
    });

    it.each([
      ['date of birth', { dateOfBirth: '900131', cardPasswordDigest: '73' }],
      ['business number', { businessNo: '1234567890', cardPasswordDigest: '73' }],
    ])('forwards the %s and the card password digest (the acquirer requires them) and stores the digest nowhere', async (_what, meta) => {
      const res = await stack.merchant.post('payments/pay', korean(meta));
      expect(res.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
      expect(JSON.stringify(res.body)).not.toContain('cardPasswordDigest');
      const tables = await stack.db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      for (const { table_name } of tables) {
        const dump = await stack.db.query(`SELECT coalesce(string_agg(row_to_json(x)::text, ''), '') AS j FROM "${table_name}" x`);
        expect([table_name, dump[0].j.includes('cardPasswordDigest')]).toEqual([table_name, false]);
      }
    });
  });

  describe('the seed notification examples round-trip', () => {
    const notify = (body: object) => notifyAsAcquirer(stack, body);

    /** A pending payment, then the seed body with the gateway's upstream ids, signed by the acquirer. */
    async function roundTrip(req: Pay, seedFile: string) {
      const pay = await stack.merchant.post('payments/pay', req);
      expect(pay.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
      const { id, upstream_payment_id } = await row(pay.body.paymentId);
      expect(upstream_payment_id).toMatch(/^sbx_/);
      const seed = seedExample(seedFile);
      const ack = await notify({ ...seed, paymentRequestId: id, paymentId: upstream_payment_id });
      expect(ack).toEqual({ status: 200, body: { result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } } });
      expect((await row(pay.body.paymentId)).status).toBe('SUCCEEDED');
      return { seed, notice: await waitFor(async () => merchantNotice(pay.body.paymentId), 10_000) };
    }

    it('general card (3DS challenge pending): SUCCEEDED, the merchant hears AVS, CVV, network id and 3DS results', async () => {
      const req = s2sPay({ cardNo: '4000000000003220', value: '8000', currency: 'EUR', notifyUrl: `${receiver.url}/notify` });
      req.paymentMethod.paymentMethodMetaData.is3DSAuthentication = true;
      const { seed, notice } = await roundTrip(req, 'notify-payment-general-card.json');
      expect(notice).toMatchObject({ result: { resultStatus: 'S', resultCode: 'SUCCESS' }, paymentAmount: { currency: 'EUR', value: '8000' } });
      const { avsResultRaw, cvvResultRaw, networkTransactionId, threeDSResult } = seed.paymentResultInfo;
      expect(notice.paymentResultInfo).toMatchObject({ avsResultRaw, cvvResultRaw, networkTransactionId, threeDSResult });
      // cardInfo as the seed says notifications carry it (masked card, brand, 3DS), and what was charged.
      expect(notice.cardInfo).toMatchObject({ cardNo: '4000********3220', cardBrand: 'VISA', threeDSResult: { eci: '02', threeDSVersion: '2.2.0' } });
      expect(notice.actualPaymentAmount).toEqual({ currency: 'EUR', value: '8000' });
      expect(goDecodeProblems(notice, 'notifyPayment')).toEqual([]);
    });

    it("Korean card (issuer authentication pending): SUCCEEDED, the merchant hears the example's fields as sent, empty strings included", async () => {
      const req = s2sPay({ value: '120', currency: 'KRW', notifyUrl: `${receiver.url}/notify` });
      Object.assign(req.paymentMethod.paymentMethodMetaData, { paymentMethodRegion: 'KR', enableAuthenticationUpgrade: false });
      req.paymentMethod.requireIssuerAuthentication = true;
      const { seed, notice } = await roundTrip(req, 'notify-payment-korean-card.json');
      expect(notice).toMatchObject({ result: { resultStatus: 'S' }, paymentAmount: { currency: 'KRW', value: '120' } });
      // Issue 29: the seed's Korean example field for field — avsResultRaw / cvvResultRaw "" and the empty
      // threeDSResult (no 3DS took place) in paymentResultInfo and cardInfo alike; before, the gateway dropped them.
      expect(notice.paymentResultInfo).toMatchObject(seed.paymentResultInfo);
      expect(notice.actualPaymentAmount).toEqual(seed.actualPaymentAmount);
      expect(notice.cardInfo).toMatchObject({ ...seed.cardInfo, cardBrand: 'VISA', cardNo: expect.stringMatching(/^\d{4}\*+\d{4}$/) });
      const inquiry = (await stack.merchant.post('payments/inquiryPayment', { paymentId: notice.paymentId })).body;
      expect(inquiry.paymentResultInfo).toMatchObject(seed.paymentResultInfo);
      expect(inquiry.cardInfo).toMatchObject(seed.cardInfo);
      expect(goDecodeProblems(notice, 'notifyPayment')).toEqual([]);
    });
  });
});
