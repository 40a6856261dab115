import { Injectable } from '@nestjs/common';

import { AntomError } from '../../antom/antom-error';
import { CardRepository, ConsentRow } from './card.repository';
import { TokenCard } from './token-card';

/** What consent needs of a settled payment (the payment aggregate's row satisfies it). */
export interface SettledCardPayment {
  resultStatus: string | null;
  cardId: string | null;
  paymentResultInfo: Record<string, unknown> | null;
}

/**
 * What the pay rules decided about stored credentials (authorization/card-on-file.ts reads the merchant's
 * request): a customer-initiated payment, asking to keep the card on file or not; or a merchant-initiated
 * one, with its recurring type and the network transaction id the merchant quoted, if any.
 */
export type StoredCredentialDecision =
  { kind: 'CIT'; cardOnFile: boolean } | { kind: 'MIT'; recurringType: string; quotedNetworkTransactionId?: string };

/**
 * Card on file and merchant-initiated transactions. The first customer-initiated payment with consent
 * records the consent and the scheme's network transaction id on the stored card; every MIT afterwards
 * quotes that id (filled in by the gateway), carries no CVV, and is refused without stored consent.
 */
@Injectable()
export class StoredCredentialsService {
  constructor(private readonly cards: CardRepository) {}

  async forTokenPay(decision: StoredCredentialDecision, card: TokenCard): Promise<{ metaOverrides: Record<string, unknown>; mit: boolean }> {
    if (decision.kind === 'CIT') {
      // Antom pays every card token with isCardOnFile: true; only a merchant-initiated payment needs consent.
      return { metaOverrides: decision.cardOnFile ? { isCardOnFile: true } : {}, mit: false };
    }
    // The merchant's own network transaction id wins: a card migrated from another processor was
    // consented to there, and that payment's id is what the scheme links this one to.
    const quoted = decision.quotedNetworkTransactionId;
    const stored = await this.consentOf(card);
    if (!card.onFile || !(stored?.consent_at || quoted)) {
      throw new AntomError(
        'ACCESS_DENIED',
        'No stored consent for this card: make a customer-initiated payment with isCardOnFile first, or quote its networkTransactionId.',
      );
    }
    return {
      metaOverrides: {
        isCardOnFile: true,
        recurringType: decision.recurringType,
        networkTransactionId: quoted ?? stored?.network_transaction_id ?? undefined,
      },
      mit: true,
    };
  }

  /** After a successful customer-initiated payment on a card kept on file: consent and network transaction id. */
  async recordConsent(payment: SettledCardPayment): Promise<void> {
    const ntid = payment.paymentResultInfo?.networkTransactionId;
    if (payment.resultStatus !== 'S' || !payment.cardId) return;
    await this.cards.recordConsent(payment.cardId, typeof ntid === 'string' ? ntid.slice(0, 64) : null);
  }

  private consentOf(card: TokenCard): Promise<ConsentRow | undefined> {
    return this.cards.consentOf(card.cardId);
  }
}
