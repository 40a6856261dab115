import { s2sPay, seedExample } from '../support/fixtures';
import { ack, startReceiver, waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

type Pay = ReturnType<typeof s2sPay>;

describe('card features: MPI, 3DS flags, AVS/CVV policy, installments, co-badged brand, Korean cards', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const pay = (req: Pay, m = stack.merchant) => m.post('payments/pay', req);
  const withMeta = (req: Pay, meta: Record<string, unknown>) => {
    Object.assign(req.paymentMethod.paymentMethodMetaData, meta);
    return req;
  };
  const status = async (paymentId: string) => (await stack.db.query('SELECT status FROM payment WHERE payment_id = $1', [paymentId]))[0]?.status;

  describe('MPI (merchant 3DS results)', () => {
    const mpi = { threeDSVersion: '2.2.0', eci: '05', cavv: 'AAABBEg0VhI0VniQEjRWAAAAAAA=', dsTransactionId: 'f25084f0-5b16-4c0a-ae5d-b24808a95e4b' };

    it('forwards valid MPI data and echoes the 3DS result', async () => {
      const res = await pay(withMeta(s2sPay(), { mpiData: mpi, enableAuthenticationUpgrade: false }));
      expect(res.body.result.resultStatus).toBe('S');
      expect(res.body.paymentResultInfo.threeDSResult).toMatchObject({ threeDSVersion: '2.2.0', eci: '05', challenged: false });
    });

    it.each([
      ['a Mastercard ECI on a Visa card', { ...mpi, eci: '02' }, /eci must be one of 05, 06, 07/],
      ['an unknown version', { ...mpi, threeDSVersion: '3.0.0' }, /threeDSVersion/],
      ['no CAVV on an authenticated ECI', { ...mpi, cavv: undefined }, /cavv is required/],
      ['no DS transaction id on 3DS 2', { ...mpi, dsTransactionId: undefined }, /dsTransactionId is required/],
      ['not an object', 'yes', /mpiData must be an object/],
    ])('refuses %s with PARAM_ILLEGAL', async (_n, bad, message) => {
      const res = await pay(withMeta(s2sPay(), { mpiData: bad }));
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
      expect(res.body.result.resultMessage).toMatch(message);
    });

    it('refuses MPI data together with is3DSAuthentication true', async () => {
      const res = await pay(withMeta(s2sPay(), { mpiData: mpi, is3DSAuthentication: true }));
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    });

    it('accepts Mastercard ECI 02 on a Mastercard', async () => {
      const res = await pay(withMeta(s2sPay({ cardNo: '5555555555554444' }), { mpiData: { ...mpi, eci: '02' } }));
      expect(res.body.result.resultStatus).toBe('S');
    });
  });

  describe('3DS', () => {
    it('a challenge answers U PAYMENT_IN_PROCESS with a normalUrl and inquiry says PROCESSING (Antom: PENDING means paid, result pending)', async () => {
      const res = await pay(withMeta(s2sPay({ cardNo: '4000000000003220' }), { is3DSAuthentication: true }));
      expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
      expect(res.body.normalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId: res.body.paymentId });
      expect(inquiry.body.paymentStatus).toBe('PROCESSING');
    });

    it('authentication upgrade steps up instead of failing, and fails without it', async () => {
      const upgraded = await pay(withMeta(s2sPay({ cardNo: '4000002760003184' }), { enableAuthenticationUpgrade: true }));
      expect(upgraded.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
      const plain = await pay(withMeta(s2sPay({ cardNo: '4000002760003184' }), { enableAuthenticationUpgrade: false }));
      expect(plain.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'AUTHENTICATION_REQUIRED' });
    });

    it('hosted-form mode asks for 3DS with terminalType alone: the acquirer page gathers the browser data', async () => {
      const req = seedExample('pay-hosted-form.json');
      req.paymentRequestId = `PAY_H3DS_${Date.now()}_${Math.random().toString(36).slice(2)}`;
      req.env = { terminalType: 'WEB' };
      req.paymentMethod.paymentMethodMetaData = { ...(req.paymentMethod.paymentMethodMetaData ?? {}), is3DSAuthentication: true };
      const res = await pay(req);
      expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
      expect(res.body.normalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    });

    it('refuses a forced challenge without the buyer environment', async () => {
      const req = withMeta(s2sPay(), { is3DSAuthentication: true });
      delete (req as Record<string, unknown>).env;
      const res = await pay(req);
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    });
  });

  describe('AVS and CVV', () => {
    it('normalises raw codes into address, postal code and CVC checks', async () => {
      const n = await pay(s2sPay({ cardNo: '4000000000000010' }));
      expect(n.body.paymentResultInfo).toMatchObject({
        avsResultRaw: 'N',
        checks: { addressLine1Check: 'fail', postalCodeCheck: 'fail', cvcCheck: 'pass' },
      });
      const z = await pay(s2sPay({ cardNo: '4000000000000036' }));
      expect(z.body.paymentResultInfo.checks).toMatchObject({ addressLine1Check: 'fail', postalCodeCheck: 'pass' });
      const cvv = await pay(s2sPay({ cardNo: '4000000000000101' }));
      expect(cvv.body.paymentResultInfo.checks.cvcCheck).toBe('fail');
    });

    it('policy VOID cancels a manual-capture authorization whose checks fail and answers F RISK_REJECT', async () => {
      const m = await stack.newMerchant();
      await stack.db.query(`UPDATE merchant SET avs_policy = 'VOID' WHERE client_id = $1`, [m.clientId]);
      // A closed loopback port: the notice stays queued, so its body can be read back.
      const res = await pay(s2sPay({ cardNo: '4000000000000010', captureMode: 'MANUAL', notifyUrl: 'http://127.0.0.1:9/notify' }), m);
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'RISK_REJECT' });
      expect(await status(res.body.paymentId)).toBe('CANCELLED');
      const notice = (
        await stack.db.query(
          `SELECT n.body FROM merchant_notification n JOIN payment p ON p.id = n.payment_id WHERE p.payment_id = $1 AND n.notify_type = 'PAYMENT_RESULT'`,
          [res.body.paymentId],
        )
      )[0];
      expect(JSON.parse(notice.body).result).toMatchObject({ resultStatus: 'F', resultCode: 'RISK_REJECT' });
      const good = await pay(s2sPay({ captureMode: 'MANUAL' }), m);
      expect(good.body.result.resultStatus).toBe('S');
    });

    it('policy VOID: the merchant is only ever notified F RISK_REJECT, never S, even with a fast notify endpoint', async () => {
      const m = await stack.newMerchant();
      await stack.db.query(`UPDATE merchant SET avs_policy = 'VOID' WHERE client_id = $1`, [m.clientId]);
      const receiver = await startReceiver(() => ack());
      try {
        const res = await pay(s2sPay({ cardNo: '4000000000000010', captureMode: 'MANUAL', notifyUrl: `${receiver.url}/notify` }), m);
        expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'RISK_REJECT' });
        await waitFor(async () => receiver.received.some((r) => JSON.parse(r.body).paymentId === res.body.paymentId), 15_000);
        await new Promise((r) => setTimeout(r, 1500)); // room for a second (wrong) notice to arrive
        const results = receiver.received
          .map((r) => JSON.parse(r.body))
          .filter((b) => b.paymentId === res.body.paymentId && b.notifyType === 'PAYMENT_RESULT');
        expect(results.map((b) => `${b.result.resultStatus} ${b.result.resultCode}`)).toEqual(['F RISK_REJECT']);
        // Not luck of timing: the notice was first queued after the void, never while the payment said S.
        const events: Array<{ type: string }> = await stack.db.query(
          `SELECT e.type FROM payment_event e JOIN payment p ON p.id = e.payment_id WHERE p.payment_id = $1 ORDER BY e.id`,
          [res.body.paymentId],
        );
        const types = events.map((e) => e.type);
        expect(types.indexOf('NOTIFICATION_QUEUED')).toBeGreaterThan(types.indexOf('CANCELLED'));
        expect(types.indexOf('CANCELLED')).toBeGreaterThan(-1);
      } finally {
        await receiver.close();
      }
    });

    it('policy REVIEW keeps the authorization and flags it', async () => {
      const m = await stack.newMerchant();
      await stack.db.query(`UPDATE merchant SET avs_policy = 'REVIEW' WHERE client_id = $1`, [m.clientId]);
      const res = await pay(s2sPay({ cardNo: '4000000000000101', captureMode: 'MANUAL' }), m);
      expect(res.body.result.resultStatus).toBe('S');
      expect(res.body.paymentResultInfo.reviewRequired).toBe(true);
      expect(await status(res.body.paymentId)).toBe('AUTHORIZED');
    });
  });

  describe('installments', () => {
    const brazil = (plan: unknown, currency = 'BRL') => {
      const req = withMeta(s2sPay({ currency }), {});
      req.paymentMethod.paymentMethodMetaData.paymentMethodRegion = 'BR';
      (req as Record<string, unknown>).creditPayPlan = plan;
      return req;
    };

    it('forwards a valid plan and echoes it in the result', async () => {
      const res = await pay(brazil({ installmentNum: 3, creditPayFeeType: 'PERCENTAGE', feePercentage: 2 }));
      expect(res.body.result.resultStatus).toBe('S');
      expect(String(res.body.paymentResultInfo.creditPayPlan.installmentNum)).toBe('3');
    });

    it.each([
      ['installmentNum out of range', { installmentNum: 40 }, 'BRL', 'PARAM_ILLEGAL'],
      ['both installmentNum and filteredInstallmentPeriods', { installmentNum: 3, filteredInstallmentPeriods: [3, 6] }, 'BRL', 'PARAM_ILLEGAL'],
      ['neither', { interval: 'MONTH' }, 'BRL', 'PARAM_ILLEGAL'],
      ['a currency not used for installments there', { installmentNum: 3 }, 'EUR', 'CURRENCY_NOT_SUPPORT'],
    ])('refuses %s', async (_n, plan, currency, code) => {
      const res = await pay(brazil(plan, currency));
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: code });
    });

    it('refuses installments in a region without them', async () => {
      const req = withMeta(s2sPay(), { paymentMethodRegion: 'CN' });
      (req as Record<string, unknown>).creditPayPlan = { installmentNum: 3 };
      const res = await pay(req);
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
      expect(res.body.result.resultMessage).toMatch(/region CN/);
    });

    // The region is paymentMethodRegion, else the card's issuing country (README); the billing address
    // (AVS input) never decides it.
    it('a USD pay with paymentMethodRegion US, a US card and a CN billing address pays in installments', async () => {
      const req = withMeta(s2sPay({ cardNo: '4111111111111111', currency: 'USD' }), { paymentMethodRegion: 'US' });
      req.paymentMethod.paymentMethodMetaData.billingAddress.region = 'CN';
      (req as Record<string, unknown>).creditPayPlan = { installmentNum: 3 };
      const res = await pay(req);
      expect(res.body.result).toMatchObject({ resultStatus: 'S' });
      expect(String(res.body.paymentResultInfo.creditPayPlan.installmentNum)).toBe('3');
    });

    it('without paymentMethodRegion a US card (BIN table) pays USD installments', async () => {
      const req = s2sPay({ cardNo: '4111111111111111', currency: 'USD' });
      delete req.paymentMethod.paymentMethodMetaData.paymentMethodRegion;
      (req as Record<string, unknown>).creditPayPlan = { installmentNum: 3 };
      const res = await pay(req);
      expect(res.body.result).toMatchObject({ resultStatus: 'S' });
    });
  });

  describe('co-badged cards', () => {
    it("honours selectedCardBrand among the card's brands", async () => {
      const res = await pay(withMeta(s2sPay({ cardNo: '4000002500001001' }), { selectedCardBrand: 'CARTES_BANCAIRES' }));
      expect(res.body.result.resultStatus).toBe('S');
      expect(res.body.paymentResultInfo.cardBrand).toBe('CARTES_BANCAIRES');
    });

    it('refuses a brand the card does not carry', async () => {
      const res = await pay(withMeta(s2sPay({ cardNo: '4000002500001001' }), { selectedCardBrand: 'MASTERCARD' }));
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'SELECTED_CARD_BRAND_NOT_AVAILABLE' });
    });
  });

  describe('Korean local cards', () => {
    const korean = (captureMode: 'MANUAL' | 'AUTOMATIC', meta: Record<string, unknown> = {}) => {
      const req = withMeta(s2sPay({ currency: 'KRW', value: '12000', captureMode }), {
        paymentMethodRegion: 'KR',
        enableAuthenticationUpgrade: false,
        ...meta,
      });
      (req.paymentMethod as Record<string, unknown>).requireIssuerAuthentication = true;
      return req;
    };

    it('refuses manual capture for issuer-authenticated Korean cards', async () => {
      const res = await pay(korean('MANUAL'));
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
      expect(res.body.result.resultMessage).toMatch(/automatic capture only/);
    });

    it('refuses 3DS for Korean cards', async () => {
      const res = await pay(korean('AUTOMATIC', { is3DSAuthentication: true }));
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    });

    it('sends the buyer to the issuer authentication page (U PAYMENT_IN_PROCESS)', async () => {
      const res = await pay(korean('AUTOMATIC'));
      expect(res.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' });
      expect(res.body.normalUrl).toBeDefined();
    });
  });
});
