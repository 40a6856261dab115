import { Body, SandboxError, wireBool } from './sandbox-context';

/**
 * Antom's stored-credential rules for a merchant-initiated payment (`recurringType` set): the buyer is
 * absent, so no CVV; the card is on file (`isCardOnFile: true`); and with the card number the scheme links
 * the payment to the first customer-initiated one only through its `networkTransactionId`. A token the
 * acquirer issued is its own link, so it needs no id.
 */
export function checkMerchantInitiated(meta: Body, withCardNumber: boolean): void {
  if (meta.recurringType === undefined) return;
  if (meta.recurringType !== 'SCHEDULED' && meta.recurringType !== 'UNSCHEDULED') {
    throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter paymentMethodMetaData.recurringType.');
  }
  if (meta.cvv !== undefined) throw new SandboxError('PARAM_ILLEGAL', 'A merchant-initiated payment carries no cvv.');
  if (!wireBool(meta.isCardOnFile))
    throw new SandboxError('PARAM_ILLEGAL', 'A merchant-initiated payment must set paymentMethodMetaData.isCardOnFile to true.');
  if (withCardNumber && (typeof meta.networkTransactionId !== 'string' || meta.networkTransactionId === '')) {
    throw new SandboxError('PARAM_ILLEGAL', 'A merchant-initiated card payment must quote paymentMethodMetaData.networkTransactionId.');
  }
}
