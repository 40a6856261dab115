import { parseRequestTime } from '../../../src/antom/request-time';
import { DEFAULT_TIME_WINDOW_MS, parseHeaderTime, staleness } from './header-time';

// The client's copy of the time parsing reads every form the gateway reads, and refuses what it refuses.
describe('client header times', () => {
  const samples = [
    '1767236645678',
    '1767236645',
    '2026-01-01T03:04:05Z',
    '2026-01-01T03:04:05.678+00:00',
    '2026-01-01T03:04:05.6789012Z',
    '2026-01-01T11:04:05+0800',
    '2026-01-01T03:04:05-05',
    ' 2026-01-01T03:04:05Z ',
    '2026-02-30T03:04:05Z',
    '2026-01-01T03:04:05',
    '2026-01-01 03:04:05Z',
    'yesterday',
    '1',
    '12345678901234567',
    '',
    '2026-01-01T24:00:00Z',
    '2026-01-01T03:04:05+24:00',
  ];
  it.each(samples)('%j as the gateway reads it', (v) => {
    expect(parseHeaderTime(v)).toBe(parseRequestTime(v));
  });

  it('staleness: within the window either way is fresh; beyond it, unreadable, or absent is not; Infinity never', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const at = (ms: number) => new Date(now + ms).toISOString();
    expect(staleness(at(-DEFAULT_TIME_WINDOW_MS), DEFAULT_TIME_WINDOW_MS, now)).toBeNull();
    expect(staleness(at(DEFAULT_TIME_WINDOW_MS), DEFAULT_TIME_WINDOW_MS, now)).toBeNull();
    expect(staleness(at(-DEFAULT_TIME_WINDOW_MS - 1000), DEFAULT_TIME_WINDOW_MS, now)).toMatch(/301 s in the past/);
    expect(staleness(at(DEFAULT_TIME_WINDOW_MS + 1000), DEFAULT_TIME_WINDOW_MS, now)).toMatch(/301 s in the future/);
    expect(staleness('soon', DEFAULT_TIME_WINDOW_MS, now)).toBe('an unreadable time');
    expect(staleness(undefined, DEFAULT_TIME_WINDOW_MS, now)).toBe('an unreadable time');
    expect(staleness(at(-86_400_000 * 365), Infinity, now)).toBeNull();
  });
});
