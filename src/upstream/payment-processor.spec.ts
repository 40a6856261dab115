import { mock } from 'jest-mock-extended';

import { UpstreamCaptureRequest, UpstreamRefundRequest } from '../antom/upstream-requests';
import { upstreamPayRequest } from '../antom/upstream-requests.fakes';
import { result } from '../antom/wire/answers.fakes';
import { AntomClient } from './antom-client';
import { PaymentProcessor } from './payment-processor';

/** Each operation of the port goes to its own Antom API, with the request and the caller's reference as given. */
describe('PaymentProcessor', () => {
  const answer = { kind: 'answer' as const, body: { result: result('S') } };
  const pay = upstreamPayRequest({ paymentRequestId: 'r-1' });
  const capture: UpstreamCaptureRequest = {
    captureRequestId: 'c-1',
    paymentId: 'acq_1',
    captureAmount: { currency: 'EUR', value: '400' },
    isLastCapture: false,
  };
  const refund: UpstreamRefundRequest = { refundRequestId: 'f-1', paymentId: 'acq_1', refundAmount: { currency: 'EUR', value: '100' } };
  const ref = { paymentId: 'gwp_1' };
  const setup = () => {
    const client = mock<AntomClient>();
    client.call.mockResolvedValue(answer);
    return { client, port: new PaymentProcessor(client) };
  };

  it.each<[string, (p: PaymentProcessor) => Promise<unknown>, string, object]>([
    ['pay', (p) => p.pay(pay, ref), 'payments/pay', pay],
    ['capture', (p) => p.capture(capture, ref), 'payments/capture', capture],
    ['cancel', (p) => p.cancel({ paymentId: 'acq_1' }, ref), 'payments/cancel', { paymentId: 'acq_1' }],
    [
      'updateAmount',
      (p) => p.updateAmount({ updateRequestId: 'u-1', paymentId: 'acq_1', amount: { currency: 'EUR', value: '99999999999999999999' } }, ref),
      'payments/updateAmount',
      { updateRequestId: 'u-1', paymentId: 'acq_1', amount: { currency: 'EUR', value: '99999999999999999999' } },
    ],
    ['refund', (p) => p.refund(refund, ref), 'payments/refund', refund],
    ['inquiryPayment', (p) => p.inquiryPayment({ paymentRequestId: 'r-1' }, ref), 'payments/inquiryPayment', { paymentRequestId: 'r-1' }],
    ['inquiryRefund', (p) => p.inquiryRefund({ refundRequestId: 'f-1' }, ref), 'payments/inquiryRefund', { refundRequestId: 'f-1' }],
    ['acceptDispute', (p) => p.acceptDispute({ disputeId: 'acq_d' }, ref), 'payments/acceptDispute', { disputeId: 'acq_d' }],
    [
      'supplyDefenseDocument',
      (p) => p.supplyDefenseDocument({ disputeId: 'acq_d', disputeEvidence: 'JVBERi0=' }, ref),
      'payments/supplyDefenseDocument',
      { disputeId: 'acq_d', disputeEvidence: 'JVBERi0=' },
    ],
    [
      'downloadDisputeEvidence',
      (p) => p.downloadDisputeEvidence({ disputeId: 'acq_d', disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' }, ref),
      'payments/downloadDisputeEvidence',
      { disputeId: 'acq_d', disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' },
    ],
  ])('%s calls %s', async (_op, run, api, request) => {
    const { client, port } = setup();
    await expect(run(port)).resolves.toBe(answer);
    expect(client.call).toHaveBeenCalledTimes(1);
    expect(client.call).toHaveBeenCalledWith(api, request, ref);
  });

  it('passes a no-answer through untouched (the caller decides what U means)', async () => {
    const { client, port } = setup();
    const none = { kind: 'no-answer' as const, reason: 'circuit open: the upstream is failing, request not sent', notSent: true };
    client.call.mockResolvedValue(none);
    await expect(port.pay(pay)).resolves.toBe(none);
    expect(client.call).toHaveBeenCalledWith('payments/pay', pay, undefined);
  });
});
