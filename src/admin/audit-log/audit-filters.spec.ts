import { CARD_NUMBER_REFUSED } from '../payments/payment-filters';
import { parseAuditFilters } from './audit-filters';

describe('audit log filters', () => {
  it('reads who / what / target, outcome in any case, and a date range with the whole "to" day', () => {
    const f = parseAuditFilters({ actor: ' Alice ', action: 'capture', target: 'gwp_1', outcome: 'denied', from: '2026-03-01', to: '2026-03-02' });
    expect(f).toMatchObject({ actor: 'Alice', action: 'capture', target: 'gwp_1', outcome: 'DENIED', errors: [] });
    expect([f.from!.toISOString(), f.to!.toISOString()]).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
  });
  it('refuses bad values with a reason, and a card number without repeating anything', () => {
    expect(parseAuditFilters({ from: '2026-02-30' }).errors).toEqual(['From date must be YYYY-MM-DD.']);
    expect(parseAuditFilters({ from: '2026-03-02', to: '2026-03-01' }).errors).toEqual(['From must not be after To.']);
    expect(parseAuditFilters({ outcome: 'MAYBE' }).errors[0]).toMatch(/^Outcome: one of/);
    expect(parseAuditFilters({ actor: 'a\u0000' }).errors).toEqual(['Who: control characters cannot be searched for.']);
    expect(parseAuditFilters({ actor: 'x'.repeat(129) }).errors).toEqual(['Who: at most 128 characters.']);
    expect(parseAuditFilters({ actor: ['a', 'b'] }).errors).toEqual(['Who was given more than once.']);
    expect(parseAuditFilters({ target: '4117 3478 0615 6383', actor: 'bob' })).toEqual({ raw: {}, errors: [CARD_NUMBER_REFUSED] });
  });
});
