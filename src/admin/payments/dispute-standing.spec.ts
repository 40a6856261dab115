import { disputeStanding, refundWarning } from './dispute-standing';

describe('dispute standing of a payment', () => {
  it('is nothing without disputes, or with disputes that put nothing at stake', () => {
    expect(disputeStanding([])).toBeNull();
    expect(
      disputeStanding([
        { disputeId: 'gwd_1', status: 'WON' },
        { disputeId: 'gwd_2', status: 'CANCELLED' },
      ]),
    ).toBeNull();
  });

  it('is "disputed" while a dispute is open or defended, "charged-back" once lost or accepted, the chargeback first', () => {
    expect(disputeStanding([{ disputeId: 'gwd_1', status: 'DEFENDED' }])).toEqual({ kind: 'disputed', disputeId: 'gwd_1', status: 'DEFENDED' });
    expect(
      disputeStanding([
        { disputeId: 'gwd_1', status: 'OPEN' },
        { disputeId: 'gwd_2', status: 'LOST' },
      ]),
    ).toEqual({
      kind: 'charged-back',
      disputeId: 'gwd_2',
      status: 'LOST',
    });
    expect(disputeStanding([{ disputeId: 'gwd_3', status: 'ACCEPTED' }])?.kind).toBe('charged-back');
  });

  it('warns that a refund pays twice', () => {
    expect(refundWarning({ kind: 'charged-back', disputeId: 'gwd_2', status: 'LOST' })).toContain('A refund now pays them twice.');
    expect(refundWarning({ kind: 'disputed', disputeId: 'gwd_1', status: 'OPEN' })).toContain('under dispute (dispute gwd_1, OPEN)');
  });
});
