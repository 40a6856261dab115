import { loadConfig } from '../config/gateway-config';
import { staleNotifyTime } from './notify-freshness';

describe('staleNotifyTime', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');

  it('takes a Request-Time within the window, in any format the SDKs send', () => {
    for (const t of ['2026-11-26T12:00:00Z', '2026-11-26T20:04:00+08:00', String(now - 299_000), String(Math.floor(now / 1000) + 299)]) {
      expect(staleNotifyTime(t, 300, now)).toBeNull();
    }
  });

  it('refuses one outside the window, either way, or one that does not parse', () => {
    expect(staleNotifyTime('2026-10-27T12:00:00Z', 300, now)).toBe('Request-Time outside the 300 s window');
    expect(staleNotifyTime('2026-11-26T12:05:01Z', 300, now)).toBe('Request-Time outside the 300 s window');
    for (const t of ['not-a-time', '', undefined, '2026-11-26T12:00:00', '2026-11-26 12:00:00Z'])
      expect(staleNotifyTime(t, 300, now)).toBe('unparsable Request-Time');
  });

  it("has a configurable window, by default the merchant requests' one", () => {
    const base = loadConfig({}, { REQUEST_TIME_WINDOW_SECONDS: '120' });
    expect(base.NOTIFY_REQUEST_TIME_WINDOW_SECONDS ?? base.REQUEST_TIME_WINDOW_SECONDS).toBe(120);
    expect(loadConfig({}, { NOTIFY_REQUEST_TIME_WINDOW_SECONDS: '900' }).NOTIFY_REQUEST_TIME_WINDOW_SECONDS).toBe(900);
    expect(() => loadConfig({}, { NOTIFY_REQUEST_TIME_WINDOW_SECONDS: '5' })).toThrow();
  });
});
