/*
 * Test doubles for the money operations' unit specs (*.spec.ts beside them). Not imported by production code;
 * `*.fakes.ts` is left out of the build (tsconfig.build.json).
 */
import { mock } from 'jest-mock-extended';
import { DataSource, EntityManager } from 'typeorm';

import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { UpstreamOutcome } from '../upstream/antom-client';

/** A DataSource whose transactions run the callback on one fake EntityManager (`tx`), counting them. */
export function fakeDb(): { db: DataSource; tx: EntityManager; transactions: () => number } {
  // A plain object, not a mock<>(): a proxy answers every property, `asymmetricMatch` too, and jest's equality then misreads it.
  const tx = { fake: 'transaction' } as unknown as EntityManager;
  const db = mock<DataSource>();
  let n = 0;
  (db.transaction as jest.Mock).mockImplementation(async (work: (em: EntityManager) => unknown) => {
    n++;
    return work(tx);
  });
  Object.assign(db, { manager: { fake: 'manager' } });
  return { db, tx, transactions: () => n };
}

export const merchant: MerchantIdentity = {
  id: 'm-1',
  clientId: 'client-1',
  status: 'ACTIVE',
  notifyUrl: null,
  keys: new Map(),
  latestKeyVersion: 1,
  avsPolicy: 'ACCEPT',
};

export function payment(changes: Partial<Payment> = {}): Payment {
  return Object.assign(
    new Payment(),
    {
      id: 'p-row-1',
      merchantId: merchant.id,
      paymentId: 'gwp_1',
      paymentRequestId: 'req-1',
      upstreamPaymentId: 'up-1',
      status: 'AUTHORIZED',
      currency: 'USD',
      amount: 1000n,
      authorizedAmount: 1000n,
      capturedAmount: 0n,
      refundedAmount: 0n,
      captureMode: 'MANUAL',
      cardId: null,
      cancelRequestedAt: null,
      resultCode: null,
      paymentResultInfo: null,
      cardBin: null,
    },
    changes,
  );
}

export const answer = <T>(body: T): UpstreamOutcome<T> => ({ kind: 'answer', body });
export const noAnswer = <T>(): UpstreamOutcome<T> => ({ kind: 'no-answer', reason: 'timeout' });
export const S = { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' };
export const F = (code: string, message = 'refused') => ({ resultStatus: 'F', resultCode: code, resultMessage: message });
export const U = { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION', resultMessage: 'unknown' };

/** An AntomError's result, for `rejects.toMatchObject(refusal('ORDER_NOT_EXIST'))`. */
export const refusal = (resultCode: string, resultStatus?: 'F' | 'U') => ({
  result: expect.objectContaining({ resultCode, ...(resultStatus ? { resultStatus } : {}) }),
});
