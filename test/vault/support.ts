import { randomUUID } from 'node:crypto';

import { s2sPay } from '../support/fixtures';
import { MerchantClient } from '../support/merchant-client';

/** A card for POST /v1/cards: the seed's test card unless told otherwise. */
export function cardMeta(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cardNo: '4117347806156383',
    expiryMonth: '12',
    expiryYear: '35',
    cvv: '123',
    cardholderName: { firstName: 'Ada', lastName: 'Lovelace' },
    ...overrides,
  };
}

export async function storeCard(merchant: MerchantClient, opts: { onFile?: boolean; meta?: Record<string, unknown>; path?: string } = {}) {
  const body = { paymentMethodMetaData: opts.meta ?? cardMeta(), ...(opts.onFile ? { isCardOnFile: true } : {}) };
  return merchant.post('cards', body, opts.path ? { path: opts.path } : {});
}

/** The seed pay request, paying with a vault token instead of a raw card. */
export function tokenPay(token: string, extra: Record<string, unknown> = {}) {
  const req = s2sPay();
  req.paymentRequestId = `PAY_TOK_${randomUUID()}`;
  req.paymentMethod = { paymentMethodType: 'CARD', paymentMethodId: token, paymentMethodMetaData: { isCardOnFile: true, ...extra } };
  return req;
}
