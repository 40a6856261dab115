import { s2sPay } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';
import { storeCard, tokenPay } from '../vault/support';

describe('card on file and merchant-initiated transactions', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const cardRow = async (token: string) =>
    (await stack.db.query('SELECT on_file, consent_at, network_transaction_id FROM card WHERE token = $1', [token]))[0];

  async function firstCustomerInitiated() {
    const req = s2sPay();
    Object.assign(req.paymentMethod.paymentMethodMetaData, { isCardOnFile: true, tokenize: true });
    const res = await stack.merchant.post('payments/pay', req);
    expect(res.body.result.resultStatus).toBe('S');
    return res.body;
  }

  it('the first customer-initiated payment with consent stores the card, its consent and the network transaction id', async () => {
    const first = await firstCustomerInitiated();
    const token = first.paymentResultInfo.cardToken;
    expect(token).toMatch(/^tok_/);
    const row = await cardRow(token);
    expect(row.on_file).toBe(true);
    expect(row.consent_at).not.toBeNull();
    expect(row.network_transaction_id).toBe(first.paymentResultInfo.networkTransactionId);
  });

  it.each(['SCHEDULED', 'UNSCHEDULED'])('a %s merchant-initiated payment uses the token without CVV and succeeds', async (recurringType) => {
    const { paymentResultInfo } = await firstCustomerInitiated();
    const res = await stack.merchant.post('payments/pay', tokenPay(paymentResultInfo.cardToken, { recurringType }));
    expect(res.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(res.body.paymentResultInfo.cardToken).toBe(paymentResultInfo.cardToken);
  });

  it('refuses a merchant-initiated payment without stored consent', async () => {
    const stored = await storeCard(stack.merchant, { onFile: true });
    const noConsent = await stack.merchant.post('payments/pay', tokenPay(stored.body.cardToken, { recurringType: 'SCHEDULED' }));
    expect(noConsent.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ACCESS_DENIED' });
    const oneTime = await storeCard(stack.merchant);
    const res = await stack.merchant.post('payments/pay', tokenPay(oneTime.body.cardToken, { recurringType: 'UNSCHEDULED' }));
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ACCESS_DENIED' });
  });

  it('refuses a CVV or an unknown recurringType on a merchant-initiated payment', async () => {
    const { paymentResultInfo } = await firstCustomerInitiated();
    const withCvv = await stack.merchant.post('payments/pay', tokenPay(paymentResultInfo.cardToken, { recurringType: 'SCHEDULED', cvv: '123' }));
    expect(withCvv.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    const badType = await stack.merchant.post('payments/pay', tokenPay(paymentResultInfo.cardToken, { recurringType: 'WEEKLY' }));
    expect(badType.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
  });

  it("a card kept on file elsewhere: a MIT quoting the merchant's own networkTransactionId needs no consent recorded here", async () => {
    // Stored with its CVV a moment ago: the vault still holds it (VAULT_CVV_TTL_SECONDS), and a MIT must
    // not send it (the acquirer refuses a CVV on a MIT).
    const stored = await storeCard(stack.merchant, { onFile: true });
    const res = await stack.merchant.post(
      'payments/pay',
      tokenPay(stored.body.cardToken, { recurringType: 'SCHEDULED', networkTransactionId: 'MCC0123456789' }),
    );
    expect(res.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    const bad = await stack.merchant.post(
      'payments/pay',
      tokenPay(stored.body.cardToken, { recurringType: 'SCHEDULED', networkTransactionId: 12345 }),
    );
    expect(bad.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(bad.body.result.resultMessage).toContain('networkTransactionId');
  });

  describe('raw-card merchant-initiated payments (the merchant holds the card)', () => {
    const rawMit = (meta: Record<string, unknown>) => {
      const req = s2sPay();
      const m = req.paymentMethod.paymentMethodMetaData as Record<string, unknown>;
      delete m.cvv;
      Object.assign(m, meta);
      return req;
    };

    it("go without CVV, as card on file, quoting the first payment's network transaction id, and store nothing", async () => {
      const first = await firstCustomerInitiated();
      const res = await stack.merchant.post(
        'payments/pay',
        rawMit({ recurringType: 'SCHEDULED', networkTransactionId: first.paymentResultInfo.networkTransactionId }),
      );
      expect(res.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
      expect(res.body.paymentResultInfo.cardToken).toBeUndefined();
      const [row] = await stack.db.query(
        `SELECT c.on_file, (SELECT count(*)::int FROM card_secret s WHERE s.card_id = c.id) AS cvvs FROM payment p JOIN card c ON c.id = p.card_id WHERE p.payment_id = $1`,
        [res.body.paymentId],
      );
      expect(row).toEqual({ on_file: false, cvvs: 0 });
    });

    it.each([
      ['a CVV', { recurringType: 'SCHEDULED', networkTransactionId: 'ntx1', cvv: '123' }, 'CVV'],
      ['no network transaction id', { recurringType: 'UNSCHEDULED' }, 'networkTransactionId'],
      ['tokenize', { recurringType: 'UNSCHEDULED', networkTransactionId: 'ntx1', tokenize: true }, 'tokenize'],
      ['an unknown recurringType', { recurringType: 'MONTHLY', networkTransactionId: 'ntx1' }, 'recurringType'],
    ])('are refused with %s (F PARAM_ILLEGAL naming it)', async (_name, meta, named) => {
      const res = await stack.merchant.post('payments/pay', rawMit(meta));
      expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
      expect(res.body.result.resultMessage).toContain(named);
    });

    it('a customer-initiated raw-card payment still needs the CVV', async () => {
      const res = await stack.merchant.post('payments/pay', rawMit({}));
      expect(res.body.result.resultStatus).toBe('F');
    });
  });

  it('another merchant cannot use the token, for MIT or otherwise', async () => {
    const { paymentResultInfo } = await firstCustomerInitiated();
    const other = await stack.newMerchant();
    const res = await other.post('payments/pay', tokenPay(paymentResultInfo.cardToken, { recurringType: 'SCHEDULED' }));
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_TOKEN' });
  });
});
