import { MetricsService, SCRAPE_SQL_TIMEOUT_MS } from './metrics.service';

describe('MetricsService', () => {
  it('reads scrape gauges, and a slow one never holds the scrape past the timeout: it keeps its last value and counts an error', async () => {
    const m = new MetricsService();
    let read: () => Promise<number> = async () => 7;
    m.gaugeOnScrape('test_gauge', 'test', () => read());
    expect(await m.registry.metrics()).toMatch(/^test_gauge 7$/m);
    read = () => new Promise<number>(() => undefined); // a database that never answers
    // On a fake clock, not a stopwatch: the scrape is still waiting 1 ms before the timeout, and over at it.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    let text: string;
    try {
      let over = false;
      const scrape = m.registry.metrics().finally(() => {
        over = true;
      });
      await jest.advanceTimersByTimeAsync(SCRAPE_SQL_TIMEOUT_MS - 1);
      expect(over).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      for (let i = 0; i < 100 && !over; i++) await new Promise((r) => setImmediate(r));
      expect(over).toBe(true);
      text = await scrape;
    } finally {
      jest.useRealTimers();
    }
    expect(text).toMatch(/^test_gauge 7$/m);
    // The error counter is written as the scrape ran, so the next scrape shows it.
    expect(await m.registry.metrics()).toMatch(/^gateway_metrics_scrape_errors_total\{gauge="test_gauge"\} [12]$/m);
  });

  it('names the build and labels sign-in failures in snake case', async () => {
    const m = new MetricsService();
    m.countSignInFailure('wrong TOTP code');
    const text = await m.registry.metrics();
    expect(text).toMatch(/^gateway_admin_sign_in_failures_total\{reason="wrong_totp_code"\} 1$/m);
    expect(text).toMatch(/^gateway_build_info\{version="\d+\.\d+\.\d+[^"]*",node="v[\d.]+"\} 1$/m);
  });
});
