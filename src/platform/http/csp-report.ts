import { FastifyInstance } from 'fastify';

import { MetricsService } from '../metrics/metrics.service';

/*
 * PCI DSS 6.4.3 / 11.6.1: the hosted card page's CSP names this endpoint (`report-uri`, and `report-to` through
 * Reporting-Endpoints), so a browser that blocks an unauthorised script or style on the page tells the gateway.
 * Each report is counted in gateway_csp_reports_total{directive} and nothing else is kept: a report carries URLs
 * and a sample of the blocked code, which could hold anything typed on the page, so the body is read only for
 * the directive's name (from a fixed list), never logged nor stored. Bodies are bounded (CSP_REPORT_MAX_BYTES,
 * larger: HTTP 413) and at most CSP_REPORTS_PER_BODY reports of one body are counted.
 */
export const CSP_REPORT_PATH = '/csp-report';
export const CSP_REPORT_GROUP = 'csp-endpoint';
/** A browser's single report is well under 2 KiB; a Reporting API batch of a few is under this. */
export const CSP_REPORT_MAX_BYTES = 8192;
export const CSP_REPORTS_PER_BODY = 10;
const DIRECTIVES = [
  'script-src',
  'script-src-elem',
  'script-src-attr',
  'style-src',
  'style-src-elem',
  'style-src-attr',
  'connect-src',
  'img-src',
  'font-src',
  'frame-ancestors',
  'form-action',
  'base-uri',
  'default-src',
  'require-trusted-types-for',
];

/** The CSP directives a report body names, each from the fixed list or "other"; [] when it is no report. */
export function cspReportDirectives(body: Buffer | string | undefined): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : (body ?? ''));
  } catch {
    return [];
  }
  // report-uri: {"csp-report": {...}}; report-to (Reporting API): [{"type": "csp-violation", "body": {...}}].
  const reports = Array.isArray(parsed)
    ? parsed
        .filter((r) => r && typeof r === 'object' && (r as Record<string, unknown>).type === 'csp-violation')
        .map((r) => (r as Record<string, unknown>).body)
    : parsed && typeof parsed === 'object'
      ? [(parsed as Record<string, unknown>)['csp-report']]
      : [];
  return reports
    .slice(0, CSP_REPORTS_PER_BODY)
    .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object')
    .map((r) => {
      const named = r.effectiveDirective ?? r['effective-directive'] ?? r['violated-directive'];
      const directive = typeof named === 'string' ? named.trim().split(/\s+/)[0].toLowerCase() : '';
      return DIRECTIVES.includes(directive) ? directive : 'other';
    });
}

/** A plain Fastify route (its own body limit; answered before any merchant or console logic): 204, or 413. */
export function registerCspReports(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.post(CSP_REPORT_PATH, { bodyLimit: CSP_REPORT_MAX_BYTES }, async (req, reply) => {
    for (const directive of cspReportDirectives(req.body as Buffer | undefined)) metrics.countCspReport(directive);
    return reply.status(204).header('cache-control', 'no-store').send();
  });
}
