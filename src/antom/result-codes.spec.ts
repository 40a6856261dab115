import { NOTIFY_ACK, NOTIFY_ACK_BODY } from './notify-ack';
import { antomResult, isFinal, isResultCode, ResultCode, ResultCodes, upstreamUnknownCode } from './result-codes';

describe('ResultCodes', () => {
  it('maps every code to a status and a non-empty message', () => {
    for (const [code, entry] of Object.entries(ResultCodes)) {
      expect(code.length).toBeLessThanOrEqual(64);
      expect(['S', 'F', 'U']).toContain(entry.status);
      expect(entry.message.length).toBeGreaterThan(0);
    }
  });

  it('has only SUCCESS as S, and the contract U codes as U', () => {
    const byStatus = (s: string) =>
      Object.entries(ResultCodes)
        .filter(([, e]) => e.status === s)
        .map(([c]) => c)
        .sort();
    expect(byStatus('S')).toEqual(['SUCCESS']);
    expect(byStatus('U')).toEqual([
      'PAYMENT_IN_PROCESS',
      'REFUND_IN_PROCESS',
      'REQUEST_TRAFFIC_EXCEED_LIMIT',
      'UNKNOWN_EXCEPTION',
      'VERIFICATION_IN_PROCESS',
    ]);
  });
});

describe('antomResult', () => {
  it('takes the status and default message from the table', () => {
    expect(antomResult('PARAM_ILLEGAL')).toEqual({
      resultCode: 'PARAM_ILLEGAL',
      resultStatus: 'F',
      resultMessage: 'Illegal parameters.',
    });
  });

  it('uses an override message, truncated to 256 characters without splitting a surrogate pair', () => {
    expect(antomResult('PARAM_ILLEGAL', 'order.orderAmount is missing').resultMessage).toBe('order.orderAmount is missing');
    expect(antomResult('PARAM_ILLEGAL', 'x'.repeat(300)).resultMessage).toHaveLength(256);
    const emoji = antomResult('PARAM_ILLEGAL', '☕'.repeat(10) + '😀'.repeat(300)).resultMessage;
    expect(Array.from(emoji)).toHaveLength(256);
    expect(emoji.endsWith('😀')).toBe(true);
  });

  it('falls back to the default message for an empty override', () => {
    expect(antomResult('SUCCESS', '').resultMessage).toBe(ResultCodes.SUCCESS.message);
  });
});

describe('isFinal / isResultCode', () => {
  it.each<[ResultCode, boolean]>([
    ['SUCCESS', true],
    ['DO_NOT_HONOR', true],
    ['PAYMENT_IN_PROCESS', false],
    ['UNKNOWN_EXCEPTION', false],
  ])('%s → %p', (code, final) => {
    expect(isFinal(antomResult(code))).toBe(final);
  });

  it('recognises known codes only', () => {
    expect(isResultCode('RISK_REJECT')).toBe(true);
    expect(isResultCode('NOT_A_CODE')).toBe(false);
    expect(isResultCode('toString')).toBe(false);
  });
});

describe('NOTIFY_ACK', () => {
  it('is the exact ack body of contract §1', () => {
    expect(NOTIFY_ACK_BODY).toBe('{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}');
    expect(JSON.parse(NOTIFY_ACK_BODY)).toEqual(NOTIFY_ACK);
  });

  it('cannot be mutated by a caller', () => {
    expect(Object.isFrozen(NOTIFY_ACK)).toBe(true);
    expect(Object.isFrozen(NOTIFY_ACK.result)).toBe(true);
  });
});

describe('upstreamUnknownCode', () => {
  it('keeps the U codes Antom defines for the API, and says UNKNOWN_EXCEPTION for anything else', () => {
    expect(upstreamUnknownCode('pay', 'REQUEST_TRAFFIC_EXCEED_LIMIT')).toBe('REQUEST_TRAFFIC_EXCEED_LIMIT');
    expect(upstreamUnknownCode('capture', 'REQUEST_TRAFFIC_EXCEED_LIMIT')).toBe('REQUEST_TRAFFIC_EXCEED_LIMIT');
    expect(upstreamUnknownCode('pay', 'PAYMENT_IN_PROCESS')).toBe('PAYMENT_IN_PROCESS');
    expect(upstreamUnknownCode('refund', 'PAYMENT_IN_PROCESS')).toBe('UNKNOWN_EXCEPTION');
    expect(upstreamUnknownCode('refund', 'REFUND_IN_PROCESS')).toBe('REFUND_IN_PROCESS');
    expect(upstreamUnknownCode('capture', 'REFUND_IN_PROCESS')).toBe('UNKNOWN_EXCEPTION');
    expect(upstreamUnknownCode('cancel', 'DO_NOT_HONOR')).toBe('UNKNOWN_EXCEPTION'); // an F code said with U is not passed as U
    expect(upstreamUnknownCode('pay', undefined)).toBe('UNKNOWN_EXCEPTION');
  });
});
