import { AntomError } from '../../antom/antom-error';
import { vaultingCardInput } from './vaulting-card';

const card = {
  cardNo: '4117347806156383',
  expiryMonth: '12',
  expiryYear: '34',
  cvv: '123',
  cardholderName: { fullName: 'Ada Lovelace' },
  billingAddress: { region: 'GB' },
};

function refusal(input: unknown): string {
  try {
    vaultingCardInput(input);
  } catch (e) {
    if (e instanceof AntomError) return `${e.result.resultCode}: ${e.result.resultMessage}`;
    throw e;
  }
  throw new Error('accepted');
}

describe('vaultingCardInput (paymentMethodDetail.card of vaults/vaultPaymentMethod)', () => {
  it('passes the card fields to the validator and nothing else', () => {
    expect(vaultingCardInput({ ...card, is3DSAuthentication: false, mask: '', cardToken: null })).toEqual(card);
  });

  it('refuses a field it cannot honour by name, never quoting a value', () => {
    expect(refusal({ ...card, mpiData: { eci: '05' } })).toBe(
      'PARAM_ILLEGAL: Illegal parameter paymentMethodDetail.card.mpiData: is not supported in a vaulting request.',
    );
    expect(refusal({ ...card, networkTransactionId: '123' })).toMatch(/paymentMethodDetail\.card\.networkTransactionId/);
    expect(refusal({ ...card, is3DSAuthentication: true })).toMatch(/is3DSAuthentication: is not supported/);
    expect(refusal({ ...card, is3DSAuthentication: 'maybe' })).toMatch(/is3DSAuthentication: must be a boolean/);
    expect(refusal({ ...card, ['4117347806156383']: 'x' })).toBe(
      'PARAM_ILLEGAL: Illegal parameter paymentMethodDetail.card.(unknown field): is not supported in a vaulting request.',
    );
  });

  it.each([null, 'card', 7, [card]])('refuses %j as the card', (v) => {
    expect(refusal(v)).toBe('PARAM_ILLEGAL: Illegal parameter paymentMethodDetail.card: is required.');
  });
});
