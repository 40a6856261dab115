import { AntomError } from '../antom/antom-error';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { StoredCredentialDecision } from '../pci/vault/stored-credentials.service';

/*
 * The pay rules of card on file and merchant-initiated payments, read from the merchant's pay request. The
 * vault is handed only what they decide (StoredCredentialDecision), never the request.
 */

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
  if (truthy(meta.tokenize))
    throw new AntomError(
      'PARAM_ILLEGAL',
      'Illegal parameter paymentMethod.paymentMethodMetaData.tokenize: a merchant-initiated payment cannot store the card (the buyer is not present to consent).',
    );
  const ntid = quotedNetworkTransactionId(meta);
  if (!ntid)
    throw new AntomError(
      'PARAM_ILLEGAL',
      'Illegal parameter paymentMethod.paymentMethodMetaData.networkTransactionId: a raw-card merchant-initiated payment quotes the network transaction id of the first customer-initiated payment.',
    );
  return { isCardOnFile: true, recurringType: String(meta.recurringType), networkTransactionId: ntid };
}

/**
 * A vault-token pay's stored-credential decision: a customer-initiated payment (card on file asked or
 * not), or a merchant-initiated one with its recurring type and the network transaction id it quotes.
 */
export function tokenPayDecision(req: PayRequestDto): StoredCredentialDecision {
  const meta = req.paymentMethod.paymentMethodMetaData ?? {};
  if (meta.recurringType === undefined) return { kind: 'CIT', cardOnFile: truthy(meta.isCardOnFile) };
  checkMitFields(meta);
  return { kind: 'MIT', recurringType: meta.recurringType as string, quotedNetworkTransactionId: quotedNetworkTransactionId(meta) };
}

/** recurringType one of Antom's, and no CVV: the buyer is not present. */
function checkMitFields(meta: Record<string, unknown>): void {
  if (typeof meta.recurringType !== 'string' || !RECURRING_TYPES.includes(meta.recurringType)) {
    throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentMethod.paymentMethodMetaData.recurringType: SCHEDULED or UNSCHEDULED.');
  }
  if (meta.cvv !== undefined) throw new AntomError('PARAM_ILLEGAL', 'A merchant-initiated payment carries no CVV: the buyer is not present.');
}

/** The merchant's own `networkTransactionId` (a string, as Antom's CardPaymentMethodDetail types it), if sent. */
function quotedNetworkTransactionId(meta: Record<string, unknown>): string | undefined {
  const v = meta.networkTransactionId;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(v)) {
    throw new AntomError(
      'PARAM_ILLEGAL',
      'Illegal parameter paymentMethod.paymentMethodMetaData.networkTransactionId: 1 to 64 printable characters.',
    );
  }
  return v;
}
