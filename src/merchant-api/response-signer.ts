import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { formatResponseTime } from '../antom/request-time';
import { formatSignatureHeader, sign } from '../antom/signature';
import { GatewaySigningKey } from '../platform/gateway-signing-key';
import { originForm } from './origin-form';

/**
 * Serialises and signs every merchant-facing answer the way Antom signs its responses (contract §1), over
 * the origin-form path the SDK signed and verifies with, whatever form the request line had.
 */
@Injectable()
export class ResponseSigner {
  constructor(private readonly key: GatewaySigningKey) {}

  send(req: FastifyRequest, reply: FastifyReply, body: object): string {
    const json = JSON.stringify(body);
    const clientId = String(req.headers['client-id'] ?? '');
    const time = formatResponseTime();
    const signature = sign({ method: 'POST', path: originForm(req.url), clientId, time, body: json }, this.key.privateKey);
    reply
      .status(200)
      .header('client-id', clientId)
      .header('response-time', time)
      .header('signature', formatSignatureHeader(signature))
      .type('application/json; charset=UTF-8');
    return json;
  }
}
