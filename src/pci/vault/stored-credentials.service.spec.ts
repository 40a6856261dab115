import { mock } from 'jest-mock-extended';
import { AntomError } from '../../antom/antom-error';
import { PayRequestDto } from '../../antom/requests/pay.dto';
import { CardRepository, ConsentRow } from './card.repository';
import { quotedNetworkTransactionId, rawCardMit, StoredCredentialsService, wantsCardOnFile } from './stored-credentials.service';
import { tokenCard } from './vault.fakes';

const pay = (meta?: Record<string, unknown>) => ({ paymentMethod: { paymentMethodType: 'CARD', paymentMethodMetaData: meta } }) as PayRequestDto;
const codeOf = (run: () => unknown) => {
  try { run(); return 'ok'; } catch (e) { return `${(e as AntomError).result.resultCode}`; }
};
const asyncCodeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: AntomError) => e.result.resultCode);

describe('stored credentials', () => {
  describe('wantsCardOnFile', () => {
    it.each<[Record<string, unknown> | undefined, boolean]>([
      [{ tokenize: true }, true], [{ tokenize: 'true' }, true], [{ isCardOnFile: true }, true], [{ isCardOnFile: 'true' }, true],
      [{ tokenize: false }, false], [{ tokenize: 'yes' }, false], [{}, false], [undefined, false],
      [{ tokenize: true, recurringType: 'SCHEDULED' }, false], // a MIT stores nothing
    ])('%j → %s', (meta, expected) => {
      expect(wantsCardOnFile(pay(meta))).toBe(expected);
    });
  });

  describe('rawCardMit', () => {
    it('a customer-initiated payment is none', () => {
      expect(rawCardMit(pay({ cardNo: 'x', cvv: '123' }))).toBeNull();
    });

    it('a raw-card MIT goes on file with the quoted network transaction id', () => {
      expect(rawCardMit(pay({ recurringType: 'UNSCHEDULED', networkTransactionId: 'ntid-1' }))).toEqual({ isCardOnFile: true, recurringType: 'UNSCHEDULED', networkTransactionId: 'ntid-1' });
    });

    it.each<[string, Record<string, unknown>]>([
      ['a recurringType not Antom\'s', { recurringType: 'MONTHLY', networkTransactionId: 'n' }],
      ['a CVV (the buyer is absent)', { recurringType: 'SCHEDULED', cvv: '123', networkTransactionId: 'n' }],
      ['tokenize (no consent possible)', { recurringType: 'SCHEDULED', tokenize: true, networkTransactionId: 'n' }],
      ['no network transaction id', { recurringType: 'SCHEDULED' }],
      ['a network transaction id of 65 characters', { recurringType: 'SCHEDULED', networkTransactionId: 'n'.repeat(65) }],
      ['a network transaction id with a space', { recurringType: 'SCHEDULED', networkTransactionId: 'a b' }],
      ['a numeric network transaction id', { recurringType: 'SCHEDULED', networkTransactionId: 123 }],
    ])('refuses %s: PARAM_ILLEGAL', (_what, meta) => {
      expect(codeOf(() => rawCardMit(pay(meta)))).toBe('PARAM_ILLEGAL');
    });
  });

  it('quotedNetworkTransactionId: 1 to 64 printable characters, absent is undefined', () => {
    expect(quotedNetworkTransactionId({})).toBeUndefined();
    expect(quotedNetworkTransactionId({ networkTransactionId: 'x'.repeat(64) })).toBe('x'.repeat(64));
    expect(codeOf(() => quotedNetworkTransactionId({ networkTransactionId: '' }))).toBe('PARAM_ILLEGAL');
    expect(codeOf(() => quotedNetworkTransactionId({ networkTransactionId: 'é' }))).toBe('PARAM_ILLEGAL');
  });
});

describe('StoredCredentialsService', () => {
  const setup = (consent?: ConsentRow) => {
    const cards = mock<CardRepository>();
    cards.consentOf.mockResolvedValue(consent);
    return { cards, service: new StoredCredentialsService(cards) };
  };

  describe('forTokenPay', () => {
    it('a customer-initiated token pay needs no consent; isCardOnFile passes through', async () => {
      const { cards, service } = setup();
      await expect(service.forTokenPay(pay({ isCardOnFile: 'true' }), tokenCard({ onFile: false }))).resolves.toEqual({ metaOverrides: { isCardOnFile: true }, mit: false });
      await expect(service.forTokenPay(pay(undefined), tokenCard())).resolves.toEqual({ metaOverrides: {}, mit: false });
      expect(cards.consentOf).not.toHaveBeenCalled();
    });

    it('a MIT on a card with stored consent quotes the stored network transaction id', async () => {
      const { cards, service } = setup({ consent_at: new Date(), network_transaction_id: 'ntid-stored' });
      await expect(service.forTokenPay(pay({ recurringType: 'SCHEDULED' }), tokenCard())).resolves.toEqual({
        metaOverrides: { isCardOnFile: true, recurringType: 'SCHEDULED', networkTransactionId: 'ntid-stored' }, mit: true,
      });
      expect(cards.consentOf).toHaveBeenCalledWith('card-1');
    });

    it('the merchant\'s own network transaction id wins (a card migrated from another processor), even without stored consent', async () => {
      const { service } = setup(undefined);
      await expect(service.forTokenPay(pay({ recurringType: 'UNSCHEDULED', networkTransactionId: 'ntid-quoted' }), tokenCard())).resolves.toMatchObject({
        metaOverrides: { networkTransactionId: 'ntid-quoted' }, mit: true,
      });
    });

    it('consent without a recorded network transaction id: the MIT goes without one', async () => {
      const { service } = setup({ consent_at: new Date(), network_transaction_id: null });
      const r = await service.forTokenPay(pay({ recurringType: 'SCHEDULED' }), tokenCard());
      expect(r.metaOverrides.networkTransactionId).toBeUndefined();
    });

    it.each<[string, ConsentRow | undefined, boolean]>([
      ['no consent row', undefined, true],
      ['a consent row without consent', { consent_at: null, network_transaction_id: 'x' }, true],
      ['a one-time token, even with consent', { consent_at: new Date(), network_transaction_id: 'x' }, false],
    ])('a MIT with %s is ACCESS_DENIED', async (_what, consent, onFile) => {
      const { service } = setup(consent);
      expect(await asyncCodeOf(service.forTokenPay(pay({ recurringType: 'SCHEDULED' }), tokenCard({ onFile })))).toBe('ACCESS_DENIED');
    });

    it('a MIT with a CVV is PARAM_ILLEGAL before consent is looked up', async () => {
      const { cards, service } = setup();
      expect(await asyncCodeOf(service.forTokenPay(pay({ recurringType: 'SCHEDULED', cvv: '123' }), tokenCard()))).toBe('PARAM_ILLEGAL');
      expect(cards.consentOf).not.toHaveBeenCalled();
    });
  });

  describe('recordConsent', () => {
    it('records consent and the network transaction id (cut to 64) after an S on a stored card', async () => {
      const { cards, service } = setup();
      await service.recordConsent({ resultStatus: 'S', cardId: 'card-1', paymentResultInfo: { networkTransactionId: 'n'.repeat(80) } });
      expect(cards.recordConsent).toHaveBeenCalledWith('card-1', 'n'.repeat(64));
    });

    it('records consent without an id when the acquirer gave none (or not a string)', async () => {
      const { cards, service } = setup();
      await service.recordConsent({ resultStatus: 'S', cardId: 'card-1', paymentResultInfo: { networkTransactionId: 42 } });
      await service.recordConsent({ resultStatus: 'S', cardId: 'card-1', paymentResultInfo: null });
      expect(cards.recordConsent.mock.calls).toEqual([['card-1', null], ['card-1', null]]);
    });

    it.each<[string, string | null, string | null]>([['an F', 'F', 'card-1'], ['a U', 'U', 'card-1'], ['no stored card', 'S', null]])('records nothing for %s', async (_what, status, cardId) => {
      const { cards, service } = setup();
      await service.recordConsent({ resultStatus: status, cardId, paymentResultInfo: { networkTransactionId: 'n' } });
      expect(cards.recordConsent).not.toHaveBeenCalled();
    });
  });
});
