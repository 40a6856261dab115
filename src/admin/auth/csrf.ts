import { timingSafeEqual } from 'node:crypto';

import { FastifyRequest } from 'fastify';

/** Constant-time comparison of the form's token with the expected one. */
export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Browsers say where a request came from; a cross-site POST is refused before the token is even read. */
export function crossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  return typeof site === 'string' && !['same-origin', 'none'].includes(site);
}
