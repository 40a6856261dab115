import { mock } from 'jest-mock-extended';
import type { Logger } from 'pino';

import { logConsoleAction } from './console-action-log';

describe('logConsoleAction', () => {
  it('writes one line with the admin, both payment ids, the amount in minor units and the outcome', () => {
    const logger = mock<Logger>();
    logConsoleAction(logger, {
      action: 'CAPTURE',
      admin: 'alice',
      paymentId: 'gwp_1',
      paymentRequestId: 'req-1',
      amount: 1500n,
      currency: 'EUR',
      outcome: 'SUCCESS',
      auditId: '42',
      resultCode: 'SUCCESS',
    });
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info.mock.calls[0]).toEqual([
      {
        event: 'console_action',
        action: 'CAPTURE',
        admin: 'alice',
        paymentId: 'gwp_1',
        paymentRequestId: 'req-1',
        amount: '1500',
        currency: 'EUR',
        outcome: 'SUCCESS',
        resultCode: 'SUCCESS',
        auditId: '42',
      },
      'console capture by alice: SUCCESS',
    ]);
  });

  it('warns on a refusal or failure, and leaves the amount out when there is none', () => {
    const logger = mock<Logger>();
    logConsoleAction(logger, { action: 'RETRY_NOTIFICATION', admin: 'bob', paymentId: 'gwp_2', paymentRequestId: 'req-2', outcome: 'FAILURE' });
    expect(logger.info).not.toHaveBeenCalled();
    expect(logger.warn.mock.calls[0][0]).not.toHaveProperty('amount');
  });
});
