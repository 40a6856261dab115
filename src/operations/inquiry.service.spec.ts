import { mock } from 'jest-mock-extended';

import { ReconciliationService } from '../acquirer-answers/reconciliation.service';
import { AntomError } from '../antom/antom-error';
import { MerchantIdentity } from '../merchants/merchants.service';
import { OperationsRepository } from '../payments/operations.repository';
import { Payment } from '../payments/payment.entity';
import { fakeCapture, fakePayment, fakeRefund } from '../payments/payment.fakes';
import { PaymentsRepository } from '../payments/payments.repository';
import { InquiryService } from './inquiry.service';

const merchant: MerchantIdentity = {
  id: 'm-1',
  clientId: 'C_1',
  status: 'ACTIVE',
  notifyUrl: null,
  keys: new Map(),
  latestKeyVersion: 1,
  avsPolicy: 'ACCEPT',
};
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: AntomError) => e.result.resultCode,
  );

describe('InquiryService', () => {
  const setup = (
    found: Payment | null,
    ops = { captures: [] as ReturnType<typeof fakeCapture>[], refunds: [] as ReturnType<typeof fakeRefund>[] },
  ) => {
    const payments = mock<PaymentsRepository>();
    const operations = mock<OperationsRepository>();
    const reconciliation = mock<ReconciliationService>();
    payments.findByPaymentId.mockResolvedValue(found);
    payments.findByRequestId.mockResolvedValue(found);
    operations.ofPayment.mockResolvedValue(ops);
    return { payments, operations, reconciliation, service: new InquiryService(payments, operations, reconciliation) };
  };

  it('needs paymentId or paymentRequestId', async () => {
    const { payments, service } = setup(fakePayment());
    expect(await codeOf(service.inquirePayment(merchant, {}))).toBe('PARAM_ILLEGAL');
    expect(payments.findByPaymentId).not.toHaveBeenCalled();
  });

  it('paymentId wins over paymentRequestId, looked up for this merchant only', async () => {
    const { payments, service } = setup(fakePayment());
    await service.inquirePayment(merchant, { paymentId: 'gwp_1', paymentRequestId: 'other' });
    expect(payments.findByPaymentId).toHaveBeenCalledWith('m-1', 'gwp_1');
    expect(payments.findByRequestId).not.toHaveBeenCalled();
  });

  it('finds by paymentRequestId when that is all it has', async () => {
    const { payments, service } = setup(fakePayment());
    await service.inquirePayment(merchant, { paymentRequestId: 'req-1' });
    expect(payments.findByRequestId).toHaveBeenCalledWith('m-1', 'req-1');
  });

  it('an unknown payment is ORDER_NOT_EXIST', async () => {
    const { service } = setup(null);
    expect(await codeOf(service.inquirePayment(merchant, { paymentId: 'gwp_x' }))).toBe('ORDER_NOT_EXIST');
  });

  it.each(['UNKNOWN', 'PENDING_ACTION'] as const)('a %s payment is first settled with the acquirer, then answered as it is now', async (status) => {
    const { payments, reconciliation, service } = setup(fakePayment({ status, resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' }));
    payments.findByPaymentId.mockResolvedValueOnce(fakePayment({ status, resultStatus: 'U' }));
    payments.reload.mockResolvedValueOnce(fakePayment({ status: 'SUCCEEDED' })); // re-read after the settlement
    const r = await service.inquirePayment(merchant, { paymentId: 'gwp_1' });
    expect(reconciliation.settle).toHaveBeenCalledWith('p-uuid');
    expect(r).toMatchObject({ result: { resultStatus: 'S' }, paymentStatus: 'SUCCESS' });
  });

  it.each(['RECEIVED', 'AUTHORIZED', 'FAILED', 'CANCELLED', 'REFUNDED'] as const)(
    'a %s payment is answered from the records, nothing asked upstream',
    async (status) => {
      const { reconciliation, service } = setup(fakePayment({ status }));
      await service.inquirePayment(merchant, { paymentId: 'gwp_1' });
      expect(reconciliation.settle).not.toHaveBeenCalled();
    },
  );

  it('lists the authorization, each capture and refund (bigint amounts as strings), with their results', async () => {
    const big = 9_007_199_254_740_993n; // past Number.MAX_SAFE_INTEGER
    const { service } = setup(fakePayment({ status: 'PARTIALLY_REFUNDED', amount: big }), {
      captures: [
        fakeCapture({ amount: big, status: 'SUCCESS' }),
        fakeCapture({ captureId: 'gwc_2', status: 'UNKNOWN', resultStatus: null, resultCode: null, captureTime: null }),
      ],
      refunds: [fakeRefund({ status: 'FAIL', resultStatus: 'F', resultCode: 'REFUND_AMOUNT_EXCEED', resultMessage: null })],
    });
    const r = await service.inquirePayment(merchant, { paymentId: 'gwp_1' });
    expect(r.transactions).toEqual([
      {
        transactionType: 'PAYMENT',
        transactionStatus: 'SUCCESS',
        transactionId: 'gwp_1',
        transactionRequestId: 'req-1',
        transactionAmount: { currency: 'EUR', value: '9007199254740993' },
        transactionTime: '2026-12-07T10:00:00.000+00:00',
        transactionResult: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
      },
      {
        transactionType: 'CAPTURE',
        transactionStatus: 'SUCCESS',
        transactionId: 'gwc_1',
        transactionRequestId: 'cap-1',
        transactionAmount: { currency: 'EUR', value: '9007199254740993' },
        transactionTime: '2026-12-07T10:00:00.000+00:00',
        transactionResult: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
      },
      // No result yet: no transactionResult; no captureTime: its creation time.
      {
        transactionType: 'CAPTURE',
        transactionStatus: 'PROCESSING',
        transactionId: 'gwc_2',
        transactionRequestId: 'cap-1',
        transactionAmount: { currency: 'EUR', value: '400' },
        transactionTime: '2026-12-07T10:00:00.000+00:00',
      },
      {
        transactionType: 'REFUND',
        transactionStatus: 'FAIL',
        transactionId: 'gwr_1',
        transactionRequestId: 'ref-1',
        transactionAmount: { currency: 'EUR', value: '100' },
        transactionTime: '2026-12-07T10:00:00.000+00:00',
        transactionResult: { resultCode: 'REFUND_AMOUNT_EXCEED', resultStatus: 'F', resultMessage: '' },
      },
    ]);
  });

  it('a payment still in doubt is PROCESSING, an F one FAIL; a result without status reads U', async () => {
    const u = setup(
      fakePayment({ status: 'RECEIVED', resultStatus: null, resultCode: 'PAYMENT_IN_PROCESS', resultMessage: null, paymentTime: null }),
    );
    const [pay] = (await u.service.inquirePayment(merchant, { paymentId: 'gwp_1' })).transactions as Record<string, unknown>[];
    expect(pay).toMatchObject({
      transactionStatus: 'PROCESSING',
      transactionResult: { resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U', resultMessage: '' },
    });
    const f = setup(fakePayment({ status: 'FAILED', resultStatus: 'F', resultCode: 'DO_NOT_HONOR' }));
    const [failed] = (await f.service.inquirePayment(merchant, { paymentId: 'gwp_1' })).transactions as Record<string, unknown>[];
    expect(failed).toMatchObject({ transactionStatus: 'FAIL' });
  });

  it('a cancelled payment adds its CANCEL transaction', async () => {
    const { service } = setup(fakePayment({ status: 'CANCELLED', cancelTime: new Date('2026-12-07T11:00:00Z') }));
    const list = (await service.inquirePayment(merchant, { paymentId: 'gwp_1' })).transactions as Record<string, unknown>[];
    expect(list.at(-1)).toEqual({
      transactionType: 'CANCEL',
      transactionStatus: 'SUCCESS',
      transactionId: 'gwp_1',
      transactionRequestId: 'req-1',
      transactionAmount: { currency: 'EUR', value: '1000' },
      transactionTime: '2026-12-07T11:00:00.000+00:00',
    });
  });
});
