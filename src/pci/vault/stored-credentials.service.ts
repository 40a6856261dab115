import { Injectable } from '@nestjs/common';
import { AntomError } from '../../antom/antom-error';
import { PayRequestDto } from '../../antom/requests/pay.dto';
import { CardRepository, ConsentRow } from './card.repository';
import { TokenCard } from './token-card';

/** What consent needs of a settled payment (the payment aggregate's row satisfies it). */
export interface SettledCardPayment {
  resultStatus: string | null;
  cardId: string | null;
  paymentResultInfo: Record<string, unknown> | null;
}

const truthy = (v: unknown) => v === true || v === 'true';
const RECURRING_TYPES = ['SCHEDULED', 'UNSCHEDULED'];

/** Raw-card pay that asks to keep the card: `tokenize` or `isCardOnFile` on a customer-initiated payment. */
export function wantsCardOnFile(req: PayRequestDto): boolean {
  const meta = req.paymentMethod.paymentMethodMetaData ?? {};
  return meta.recurringType === undefined && (truthy(meta.tokenize) || truthy(meta.isCardOnFile));
}

/**
 * A raw-card merchant-initiated payment (`recurringType` set): the merchant, PCI-certified, holds the card
 * and the buyer is absent, so it carries no CVV, stores nothing, goes upstream with `isCardOnFile: true`
 * and quotes the network transaction id of the customer-initiated payment that stored the card (the
 * gateway has no record of that payment to fill it in from). Null for a customer-initiated payment.
 */
export function rawCardMit(req: PayRequestDto): { isCardOnFile: true; recurringType: string; networkTransactionId: string } | null {
  const meta = req.paymentMethod.paymentMethodMetaData ?? {};
  if (meta.recurringType === undefined) return null;
  checkMitFields(meta);
  if (truthy(meta.tokenize)) throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentMethod.paymentMethodMetaData.tokenize: a merchant-initiated payment cannot store the card (the buyer is not present to consent).');
  const ntid = quotedNetworkTransactionId(meta);
  if (!ntid) throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentMethod.paymentMethodMetaData.networkTransactionId: a raw-card merchant-initiated payment quotes the network transaction id of the first customer-initiated payment.');
  return { isCardOnFile: true, recurringType: String(meta.recurringType), networkTransactionId: ntid };
}

/** recurringType one of Antom's, and no CVV: the buyer is not present. */
function checkMitFields(meta: Record<string, unknown>): void {
  if (typeof meta.recurringType !== 'string' || !RECURRING_TYPES.includes(meta.recurringType)) {
    throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentMethod.paymentMethodMetaData.recurringType: SCHEDULED or UNSCHEDULED.');
  }
  if (meta.cvv !== undefined) throw new AntomError('PARAM_ILLEGAL', 'A merchant-initiated payment carries no CVV: the buyer is not present.');
}

/** The merchant's own `networkTransactionId` (a string, as Antom's CardPaymentMethodDetail types it), if sent. */
export function quotedNetworkTransactionId(meta: Record<string, unknown>): string | undefined {
  const v = meta.networkTransactionId;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(v)) {
    throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentMethod.paymentMethodMetaData.networkTransactionId: 1 to 64 printable characters.');
  }
  return v;
}

/**
 * Card on file and merchant-initiated transactions. The first customer-initiated payment with consent
 * records the consent and the scheme's network transaction id on the stored card; every MIT afterwards
 * quotes that id (filled in by the gateway), carries no CVV, and is refused without stored consent.
 */
@Injectable()
export class StoredCredentialsService {
  constructor(private readonly cards: CardRepository) {}

  async forTokenPay(req: PayRequestDto, card: TokenCard): Promise<{ metaOverrides: Record<string, unknown>; mit: boolean }> {
    const meta = req.paymentMethod.paymentMethodMetaData ?? {};
    if (meta.recurringType === undefined) {
      // Antom pays every card token with isCardOnFile: true; only a merchant-initiated payment needs consent.
      return { metaOverrides: truthy(meta.isCardOnFile) ? { isCardOnFile: true } : {}, mit: false };
    }
    checkMitFields(meta);
    // The merchant's own network transaction id wins: a card migrated from another processor was
    // consented to there, and that payment's id is what the scheme links this one to.
    const quoted = quotedNetworkTransactionId(meta);
    const stored = await this.consentOf(card);
    if (!card.onFile || !(stored?.consent_at || quoted)) {
      throw new AntomError('ACCESS_DENIED', 'No stored consent for this card: make a customer-initiated payment with isCardOnFile first, or quote its networkTransactionId.');
    }
    return { metaOverrides: { isCardOnFile: true, recurringType: meta.recurringType, networkTransactionId: quoted ?? stored?.network_transaction_id ?? undefined }, mit: true };
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
