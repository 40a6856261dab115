import { FastifyInstance } from 'fastify';

/**
 * Antom signs the exact body bytes, so the edge must see them unparsed: every content type is read
 * as a Buffer and parsed only after the signature has been checked (MerchantAuthGuard).
 */
export function keepRawBodies(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
}
