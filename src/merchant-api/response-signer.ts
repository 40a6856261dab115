import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { formatResponseTime } from '../antom/request-time';
import { formatSignatureHeader, sign } from '../antom/signature';
import { GatewaySigningKey } from '../platform/gateway-signing-key';

/** Serialises and signs every merchant-facing answer the way Antom signs its responses (contract §1). */
@Injectable()
export class ResponseSigner {
  constructor(private readonly key: GatewaySigningKey) {}

  send(req: FastifyRequest, reply: FastifyReply, body: object): string {
    const json = JSON.stringify(body);
    const clientId = String(req.headers['client-id'] ?? '');
    const time = formatResponseTime();
    const signature = sign({ method: 'POST', path: req.url, clientId, time, body: json }, this.key.privateKey);
    reply
      .status(200)
      .header('client-id', clientId)
      .header('response-time', time)
      .header('signature', formatSignatureHeader(signature))
      .type('application/json; charset=UTF-8');
    return json;
  }
}
