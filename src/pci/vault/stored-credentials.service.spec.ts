import { mock } from 'jest-mock-extended';

import { AntomError } from '../../antom/antom-error';
import { CardRepository, ConsentRow } from './card.repository';
import { StoredCredentialDecision, StoredCredentialsService } from './stored-credentials.service';
import { tokenCard } from './vault.fakes';

const cit = (cardOnFile: boolean): StoredCredentialDecision => ({ kind: 'CIT', cardOnFile });
const mit = (recurringType: string, quotedNetworkTransactionId?: string): StoredCredentialDecision => ({
  kind: 'MIT',
  recurringType,
  quotedNetworkTransactionId,
});
const asyncCodeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: AntomError) => e.result.resultCode,
  );

describe('StoredCredentialsService', () => {
  const setup = (consent?: ConsentRow) => {
    const cards = mock<CardRepository>();
    cards.consentOf.mockResolvedValue(consent);
    return { cards, service: new StoredCredentialsService(cards) };
  };

  describe('forTokenPay', () => {
    it('a customer-initiated token pay needs no consent; isCardOnFile passes through', async () => {
      const { cards, service } = setup();
      await expect(service.forTokenPay(cit(true), tokenCard({ onFile: false }))).resolves.toEqual({
        metaOverrides: { isCardOnFile: true },
        mit: false,
      });
      await expect(service.forTokenPay(cit(false), tokenCard())).resolves.toEqual({ metaOverrides: {}, mit: false });
      expect(cards.consentOf).not.toHaveBeenCalled();
    });

    it('a MIT on a card with stored consent quotes the stored network transaction id', async () => {
      const { cards, service } = setup({ consent_at: new Date(), network_transaction_id: 'ntid-stored' });
      await expect(service.forTokenPay(mit('SCHEDULED'), tokenCard())).resolves.toEqual({
        metaOverrides: { isCardOnFile: true, recurringType: 'SCHEDULED', networkTransactionId: 'ntid-stored' },
        mit: true,
      });
      expect(cards.consentOf).toHaveBeenCalledWith('card-1');
    });

    it("the merchant's own network transaction id wins (a card migrated from another processor), even without stored consent", async () => {
      const { service } = setup(undefined);
      await expect(service.forTokenPay(mit('UNSCHEDULED', 'ntid-quoted'), tokenCard())).resolves.toMatchObject({
        metaOverrides: { networkTransactionId: 'ntid-quoted' },
        mit: true,
      });
    });

    it('consent without a recorded network transaction id: the MIT goes without one', async () => {
      const { service } = setup({ consent_at: new Date(), network_transaction_id: null });
      const r = await service.forTokenPay(mit('SCHEDULED'), tokenCard());
      expect(r.metaOverrides.networkTransactionId).toBeUndefined();
    });

    it.each<[string, ConsentRow | undefined, boolean]>([
      ['no consent row', undefined, true],
      ['a consent row without consent', { consent_at: null, network_transaction_id: 'x' }, true],
      ['a one-time token, even with consent', { consent_at: new Date(), network_transaction_id: 'x' }, false],
    ])('a MIT with %s is ACCESS_DENIED', async (_what, consent, onFile) => {
      const { service } = setup(consent);
      expect(await asyncCodeOf(service.forTokenPay(mit('SCHEDULED'), tokenCard({ onFile })))).toBe('ACCESS_DENIED');
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
      expect(cards.recordConsent.mock.calls).toEqual([
        ['card-1', null],
        ['card-1', null],
      ]);
    });

    it.each<[string, string | null, string | null]>([
      ['an F', 'F', 'card-1'],
      ['a U', 'U', 'card-1'],
      ['no stored card', 'S', null],
    ])('records nothing for %s', async (_what, status, cardId) => {
      const { cards, service } = setup();
      await service.recordConsent({ resultStatus: status, cardId, paymentResultInfo: { networkTransactionId: 'n' } });
      expect(cards.recordConsent).not.toHaveBeenCalled();
    });
  });
});
