import { nextStatus, parseDisputeNotice } from './dispute-notice';

const created = {
  paymentRequestId: '0f0e7b8a-1111-4222-8333-944445555666',
  disputeId: 'sbxd_1',
  paymentId: 'sbx_1',
  disputeNotificationType: 'DISPUTE_CREATED',
  disputeAmount: { currency: 'JPY', value: '1200' },
  defenseDueTime: '2026-12-09T10:00:00+08:00',
  disputeTime: '2026-12-02T10:00:00Z',
  defendable: 'true',
};

describe('notifyDispute', () => {
  it('reads amounts as bigint minor units and keeps what it relays as sent (booleans as booleans)', () => {
    const n = parseDisputeNotice(created);
    if ('error' in n) throw new Error(n.error);
    expect(n.facts).toMatchObject({ currency: 'JPY', amount: 1200n, defendable: true, defenseDueAt: new Date('2026-12-09T02:00:00Z') });
    expect(n.relayed).toEqual({
      disputeNotificationType: 'DISPUTE_CREATED',
      disputeAmount: created.disputeAmount,
      defenseDueTime: created.defenseDueTime,
      disputeTime: created.disputeTime,
      defendable: true,
    });
  });

  it.each([
    [{ disputeAmount: { currency: 'EUR', value: 12.5 } }, 'disputeAmount'],
    [{ disputeAmount: { currency: 'XYZ', value: '1' } }, 'disputeAmount'],
    [{ disputeJudgedResult: 'MAYBE' }, 'disputeJudgedResult'],
    [{ defendable: 'yes' }, 'defendable'],
    [{ disputeTime: '2026-02-31' }, 'disputeTime'],
    [{ paymentId: undefined, paymentRequestId: undefined }, 'paymentId'],
  ])('names the bad field: %j', (patch, field) => {
    const r = parseDisputeNotice({ ...created, ...patch });
    expect('error' in r && r.error).toContain(`Illegal parameter ${field}`);
  });

  it('moves the status forward only: a final status stays, an alert changes nothing', () => {
    expect(nextStatus('OPEN', true, 'DISPUTE_CREATED', null)).toBe('OPEN');
    expect(nextStatus('OPEN', false, 'DEFENSE_SUPPLIED', null)).toBe('DEFENDED');
    expect(nextStatus('DEFENDED', false, 'DEFENSE_DUE_ALERT', null)).toBe('DEFENDED');
    expect(nextStatus('DEFENDED', false, 'DISPUTE_JUDGED', 'ACCEPT_BY_CUSTOMER')).toBe('WON');
    expect(nextStatus('ACCEPTED', false, 'DISPUTE_JUDGED', 'ACCEPT_BY_MERCHANT')).toBe('LOST');
    expect(nextStatus('WON', false, 'DISPUTE_ACCEPTED', null)).toBe('WON');
    expect(nextStatus('LOST', false, 'DEFENSE_DUE_ALERT', null)).toBe('LOST');
    expect(nextStatus('OPEN', false, 'RDR_RESOLVED', null)).toBe('RESOLVED');
  });
});
