import { s2sPay } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';
import { storeCard, tokenPay } from '../vault/support';

describe('card on file and merchant-initiated transactions', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startTestStack(); });
  afterAll(async () => { await stack?.stop(); });

  const cardRow = async (token: string) => (await stack.db.query('SELECT on_file, consent_at, network_transaction_id FROM card WHERE token = $1', [token]))[0];

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

  it('another merchant cannot use the token, for MIT or otherwise', async () => {
    const { paymentResultInfo } = await firstCustomerInitiated();
    const other = await stack.newMerchant();
    const res = await other.post('payments/pay', tokenPay(paymentResultInfo.cardToken, { recurringType: 'SCHEDULED' }));
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_TOKEN' });
  });
});
