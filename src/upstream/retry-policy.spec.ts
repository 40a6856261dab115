import fc from 'fast-check';

import { backoffMs, isRetryable } from './retry-policy';

describe('upstream retry policy', () => {
  it.each([
    [{ kind: 'no-answer', reason: 'HeadersTimeoutError: Headers Timeout Error' }, true],
    [{ kind: 'no-answer', reason: 'SocketError: other side closed' }, true],
    [{ kind: 'no-answer', reason: 'HTTP 502' }, true],
    [{ kind: 'no-answer', reason: 'response signature missing or invalid' }, true],
    [{ kind: 'no-answer', reason: 'HTTP 404' }, false],
    [{ kind: 'no-answer', reason: 'circuit open', notSent: true }, false],
    [{ kind: 'answer', body: { result: { resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' } } }, true],
    [{ kind: 'answer', body: { result: { resultStatus: 'U', resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT' } } }, true],
    [{ kind: 'answer', body: { result: { resultStatus: 'U', resultCode: 'PAYMENT_IN_PROCESS' } } }, false],
    [{ kind: 'answer', body: { result: { resultStatus: 'F', resultCode: 'DO_NOT_HONOR' } } }, false],
    [{ kind: 'answer', body: { result: { resultStatus: 'S', resultCode: 'SUCCESS' } } }, false],
  ] as const)('%j → retry %s', (outcome, expected) => {
    expect(isRetryable(outcome as never)).toBe(expected);
  });

  it('backs off exponentially within ±25 % jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 5 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (base, attempt, r) => {
          const ms = backoffMs(base, attempt, () => r);
          const nominal = base * 2 ** attempt;
          return ms >= Math.floor(nominal * 0.75) && ms <= Math.ceil(nominal * 1.25);
        },
      ),
    );
  });
});
