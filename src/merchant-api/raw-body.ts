import { FastifyInstance } from 'fastify';

import { DISPUTE_EVIDENCE_MAX_CHARS } from '../antom/requests/dispute.dto';

/** supplyDefenseDocument: the document and the rest of the request. */
const DEFENSE_BODY_LIMIT_BYTES = DISPUTE_EVIDENCE_MAX_CHARS + 4096;

/**
 * Antom signs the exact body bytes, so the edge must see them unparsed: every content type is read
 * as a Buffer and parsed only after the signature has been checked (MerchantAuthGuard).
 */
export function keepRawBodies(app: FastifyInstance, bodyLimit: number): void {
  // A defence document may be 1,000,000 Base64 characters (Antom's limit): that one API reads up to it.
  app.addHook('onRoute', (route) => {
    if (route.url.endsWith('/payments/supplyDefenseDocument')) route.bodyLimit = Math.max(bodyLimit, DEFENSE_BODY_LIMIT_BYTES);
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
}
