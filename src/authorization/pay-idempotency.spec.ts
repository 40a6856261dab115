import { PayRedrive } from '../acquirer-answers/pay-redrive';
import { AntomError } from '../antom/antom-error';
import { retryAdvice } from '../antom/unknown-advice';
import { Payment } from '../payments/payment.entity';
import { PaymentsRepository } from '../payments/payments.repository';
import { PayIdempotency } from './pay-idempotency';

const row = (changes: Partial<Payment>): Payment =>
  Object.assign(
    new Payment(),
    {
      id: 'p-row-1',
      paymentId: 'gwp_1',
      merchantId: 'm1',
      paymentRequestId: 'merchant-1',
      requestHash: 'h',
      currency: 'EUR',
      amount: 100n,
      status: 'UNKNOWN',
      resultStatus: 'U',
      resultCode: 'UNKNOWN_EXCEPTION',
      resultMessage: retryAdvice('payment'),
      createdAt: new Date(),
      paymentResultInfo: {},
    },
    changes,
  );

/** PayIdempotency over a faked payments repository (the stored row) and a PayRedrive that re-drives UNKNOWN only. */
function setup(stored: Payment) {
  const payments = { findByRequestId: async () => stored } as unknown as PaymentsRepository;
  const payRedrive = { redrivable: (p: Payment) => p.status === 'UNKNOWN' } as unknown as PayRedrive;
  return new PayIdempotency(payments, payRedrive);
}

describe('PayIdempotency: the same paymentRequestId again', () => {
  it('a payment left U is re-driven, and the answer is what the re-drive then knows', async () => {
    const p = row({});
    const redriven: Payment[] = [];
    const answer = await setup(p).replay(p, 'h', async (x) => {
      redriven.push(x);
      return row({ status: 'SUCCEEDED', resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' });
    });
    expect(redriven.map((x) => x.id)).toEqual(['p-row-1']);
    expect(answer.result).toEqual({ resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' });
  });

  it('another re-drive holds it: the stored answer, U saying "retry with the same paymentRequestId"', async () => {
    const p = row({});
    const answer = await setup(p).replay(p, 'h', async () => null);
    expect(answer.result).toMatchObject({
      resultStatus: 'U',
      resultCode: 'UNKNOWN_EXCEPTION',
      resultMessage: expect.stringMatching(/Retry with the same paymentRequestId/),
    });
  });

  it('a final answer is replayed as stored, nothing re-driven', async () => {
    const p = row({ status: 'FAILED', resultStatus: 'F', resultCode: 'DO_NOT_HONOR', resultMessage: 'declined' });
    const answer = await setup(p).replay(p, 'h', async () => {
      throw new Error('not re-driven');
    });
    expect(answer.result).toEqual({ resultStatus: 'F', resultCode: 'DO_NOT_HONOR', resultMessage: 'declined' });
  });

  it('other key fields: REPEAT_REQ_INCONSISTENT, nothing re-driven', async () => {
    const p = row({});
    await expect(
      setup(p).replay(p, 'other', async () => {
        throw new Error('not re-driven');
      }),
    ).rejects.toMatchObject({ result: { resultCode: 'REPEAT_REQ_INCONSISTENT' } });
    await expect(setup(p).replay(p, 'other', async () => null)).rejects.toBeInstanceOf(AntomError);
  });
});
