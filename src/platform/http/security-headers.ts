import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

import { isMerchantApiPath } from '../../antom/api-paths';

/**
 * Security headers, by who reads the answer.
 *
 * - Pages a browser renders (the console, the hosted card pages, health, metrics, 404s, everything not below):
 *   helmet's full set, CSP `default-src 'none'; frame-ancestors 'none'` (pages that need more replace it),
 *   HSTS one year with subdomains. Built once at start: @fastify/helmet rebuilt the middleware (options, CSP
 *   string) on every request, and ran an async hook per request besides.
 * - The merchant API and the acquirer's notifications (signed JSON, server to server; no browser renders it):
 *   the headers that still mean something for a JSON answer (OWASP REST Security cheat sheet): HSTS,
 *   `X-Content-Type-Options: nosniff`, and CSP `default-src 'none'; frame-ancestors 'none'` with
 *   `X-Frame-Options: DENY` (a JSON answer is never framed or run). Not the HTML-only ones (Cross-Origin-*-Policy,
 *   Origin-Agent-Cluster, Referrer-Policy, X-DNS-Prefetch-Control, X-Download-Options,
 *   X-Permitted-Cross-Domain-Policies, X-XSS-Protection): four constant headers instead of helmet's per-request work.
 *   test/hardening/security-headers.e2e-spec.ts holds both sets.
 */
export const PAGE_HEADERS_OPTIONS = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  hsts: { maxAge: 31536000, includeSubDomains: true },
} as const;

export const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
});
const API_HEADER_ENTRIES = Object.entries(API_HEADERS);

/** Where the answer is JSON for a server: the merchant API (known or unknown path) and the acquirer's notifications. */
export function isServerToServerPath(url: string): boolean {
  return isMerchantApiPath(url) || url === '/antom/notify' || url.startsWith('/antom/notify?');
}

export function registerSecurityHeaders(fastify: FastifyInstance): void {
  const pages = helmet(PAGE_HEADERS_OPTIONS);
  fastify.addHook('onRequest', (request, reply, done) => {
    if (isServerToServerPath(request.url)) {
      for (const [name, value] of API_HEADER_ENTRIES) reply.raw.setHeader(name, value);
      done();
      return;
    }
    pages(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
}
