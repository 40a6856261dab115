import { mock } from 'jest-mock-extended';
import { EntityManager } from 'typeorm';

import { AntomError } from '../../antom/antom-error';
import { VaultService } from '../vault/vault.service';
import { CardCollectionService } from './card-collection.service';
import { revealCollectedCard } from './collected-card';

const PAN = '4111111111111111';

describe('CardCollectionService', () => {
  const setup = () => {
    const vault = mock<VaultService>();
    vault.fingerprint.mockReturnValue('fp-keyed');
    return { vault, service: new CardCollectionService(vault) };
  };
  const codeOf = (run: () => unknown) => {
    try {
      run();
      return 'ok';
    } catch (e) {
      return (e as AntomError).result.resultCode;
    }
  };
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('validates a card into a collected card: a masked summary outside, the card inside', () => {
    const { vault, service } = setup();
    const card = service.collect('m-1', { cardNo: PAN, expiryMonth: '12', expiryYear: '30', cvv: '123' }, true);
    expect(card.summary).toEqual({ bin: '41111111', last4: '1111', brands: ['VISA'], masked: '4111********1111', fingerprint: 'fp-keyed' });
    expect(vault.fingerprint).toHaveBeenCalledWith(PAN, 'm-1');
    expect(JSON.stringify(card)).not.toContain(PAN);
    expect(revealCollectedCard(card)).toMatchObject({ pan: PAN, cvv: '123' });
  });

  it('the CVV may be left out when not required (a MIT, a stored card)', () => {
    const { service } = setup();
    expect(revealCollectedCard(service.collect('m-1', { cardNo: PAN, expiryMonth: '12', expiryYear: '30' }, false)).cvv).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, boolean, string]>([
    ['a card number failing Luhn', { cardNo: '4111111111111112', expiryMonth: '12', expiryYear: '30', cvv: '123' }, true, 'INVALID_CARD_NUMBER'],
    ['a missing CVV when required', { cardNo: PAN, expiryMonth: '12', expiryYear: '30' }, true, 'INVALID_CVV'],
    ['a card that expired last month', { cardNo: PAN, expiryMonth: '11', expiryYear: '26', cvv: '123' }, true, 'INVALID_EXPIRATION_DATE'],
  ])("refuses %s, with the validator's code, before any vault work", (_what, meta, requireCvv, code) => {
    const { vault, service } = setup();
    expect(codeOf(() => service.collect('m-1', meta, requireCvv))).toBe(code);
    expect(vault.fingerprint).not.toHaveBeenCalled();
  });

  it('a card valid through this month is accepted', () => {
    const { service } = setup();
    expect(codeOf(() => service.collect('m-1', { cardNo: PAN, expiryMonth: '12', expiryYear: '26', cvv: '123' }, true))).toBe('ok');
  });

  it('prepare and store hand the collected card to the vault', async () => {
    const { vault, service } = setup();
    const card = service.collect('m-1', { cardNo: PAN, expiryMonth: '12', expiryYear: '30', cvv: '123' }, true);
    const opts = { requireCvv: true, onFile: false, cvvTtlSeconds: 900 };
    service.prepare('m-1', card, opts);
    expect(vault.prepareCollected).toHaveBeenCalledWith('m-1', card, opts);
    const tx = mock<EntityManager>();
    await service.store(tx, 'm-1', card, opts);
    expect(vault.storeCollected).toHaveBeenCalledWith(tx, 'm-1', card, opts);
  });
});
