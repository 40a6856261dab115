import { MetricsService, SCRAPE_SQL_TIMEOUT_MS } from './metrics.service';

describe('MetricsService', () => {
  it('reads scrape gauges, and a slow one never holds the scrape past the timeout: it keeps its last value and counts an error', async () => {
    const m = new MetricsService();
    let read: () => Promise<number> = async () => 7;
    m.gaugeOnScrape('test_gauge', 'test', () => read());
    expect(await m.registry.metrics()).toMatch(/^test_gauge 7$/m);
    read = () => new Promise<number>(() => undefined); // a database that never answers
    const started = Date.now();
    const text = await m.registry.metrics();
    expect(Date.now() - started).toBeLessThan(SCRAPE_SQL_TIMEOUT_MS + 500);
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
