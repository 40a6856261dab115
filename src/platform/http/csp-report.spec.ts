import Fastify from 'fastify';

import { MetricsService } from '../metrics/metrics.service';
import { CSP_REPORT_MAX_BYTES, CSP_REPORT_PATH, cspReportDirectives, registerCspReports } from './csp-report';

const PAN = '4111111111111111';

describe('CSP violation reports (PCI DSS 6.4.3, 11.6.1)', () => {
  it('reads only the directive, from a report-uri body or a Reporting API batch; unknown names are "other"', () => {
    expect(
      cspReportDirectives(JSON.stringify({ 'csp-report': { 'violated-directive': 'script-src-elem', 'blocked-uri': 'https://evil.example/x.js' } })),
    ).toEqual(['script-src-elem']);
    expect(
      cspReportDirectives(
        JSON.stringify([
          { type: 'csp-violation', body: { effectiveDirective: 'connect-src' } },
          { type: 'deprecation', body: {} },
          { type: 'csp-violation', body: { effectiveDirective: 'x-made-up' } },
        ]),
      ),
    ).toEqual(['connect-src', 'other']);
    expect(cspReportDirectives('not json')).toEqual([]);
    expect(
      cspReportDirectives(JSON.stringify(Array.from({ length: 50 }, () => ({ type: 'csp-violation', body: { effectiveDirective: 'img-src' } })))),
    ).toHaveLength(10);
  });

  it('the endpoint answers 204 and counts by directive; nothing of the report (a card number in a sample) reaches the metrics; a body over the bound is 413', async () => {
    const app = Fastify();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const metrics = new MetricsService();
    registerCspReports(app, metrics);
    const report = JSON.stringify({
      'csp-report': { 'violated-directive': 'script-src', 'script-sample': `card=${PAN}`, 'document-uri': `https://gw.example/collect/x?pan=${PAN}` },
    });
    const ok = await app.inject({ method: 'POST', url: CSP_REPORT_PATH, headers: { 'content-type': 'application/csp-report' }, payload: report });
    expect(ok.statusCode).toBe(204);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/gateway_csp_reports_total\{directive="script-src"\} 1/);
    expect(text).not.toContain(PAN);
    const big = await app.inject({
      method: 'POST',
      url: CSP_REPORT_PATH,
      headers: { 'content-type': 'application/reports+json' },
      payload: 'x'.repeat(CSP_REPORT_MAX_BYTES + 1),
    });
    expect(big.statusCode).toBe(413);
    await app.close();
  });
});
