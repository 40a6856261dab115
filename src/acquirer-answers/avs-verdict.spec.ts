import { interpretChecks } from '../card-features/avs-checks';
import { AVS_VOID_CODE, settlementVerdict } from './avs-verdict';

describe('the AVS policy decided where a late authorization settles', () => {
  const settled = (avs: string, cvv = 'M') => ({
    resultStatus: 'S' as const,
    resultCode: 'SUCCESS',
    paymentResultInfo: { avsResultRaw: avs, checks: interpretChecks(avs, cvv) },
  });

  it('VOID on a manual-capture hold: F RISK_REJECT and the cancel asked for, in the settlement itself', () => {
    const v = settlementVerdict('VOID', 'AUTHORIZED', settled('N'), null);
    expect(v.decision).toBe('VOID');
    expect(v.changes).toMatchObject({ resultStatus: 'F', resultCode: AVS_VOID_CODE });
    expect(v.changes.cancelRequestedAt).toBeInstanceOf(Date);
    expect(v.event?.type).toBe('CANCEL_REQUESTED');
  });

  it('keeps a cancel the merchant asked for already', () => {
    const asked = new Date('2026-01-01T00:00:00Z');
    expect(settlementVerdict('VOID', 'AUTHORIZED', settled('Y', 'N'), asked).changes.cancelRequestedAt).toBe(asked);
  });

  it('REVIEW, and VOID on an automatic capture (nothing to void): flagged, the rest of the result info kept', () => {
    for (const [policy, to] of [
      ['REVIEW', 'AUTHORIZED'],
      ['VOID', 'SUCCEEDED'],
    ] as const) {
      const v = settlementVerdict(policy, to, settled('Z'), null);
      expect(v.decision).toBe('REVIEW');
      expect(v.changes.paymentResultInfo).toMatchObject({ avsResultRaw: 'Z', reviewRequired: true });
      expect(v.event?.type).toBe('REVIEW_REQUIRED');
    }
  });

  it('ACCEPT, or checks that passed or were unavailable: nothing changes', () => {
    expect(settlementVerdict('ACCEPT', 'AUTHORIZED', settled('N'), null)).toEqual({ decision: 'ACCEPT', changes: {}, event: null });
    expect(settlementVerdict('VOID', 'AUTHORIZED', settled('Y'), null).decision).toBe('ACCEPT');
    expect(settlementVerdict('VOID', 'AUTHORIZED', settled('U', 'P'), null).decision).toBe('ACCEPT');
  });
});
