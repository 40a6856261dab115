import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Logger } from 'pino';

import { AcquirerNotificationsService } from '../acquirer-answers/acquirer-notifications.service';
import { NOTIFY_ACK } from '../antom/notify-ack';
import { duplicateKey, duplicateKeyMessage } from '../antom/requests/duplicate-keys';
import { parseSignatureHeader, verify } from '../antom/signature';
import { GatewayConfig } from '../config/gateway-config';
import { LOGGER } from '../platform/logging/logger.tokens';
import { UPSTREAM_CREDENTIALS, UpstreamCredentials } from '../upstream/upstream-credentials';
import { staleNotifyTime } from './notify-freshness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the acquirer's notification as parsed JSON, every field read with a type check before use
type Body = Record<string, any>;

/**
 * Antom → gateway notifications: this edge only verifies, parses, hands over (settlement applies) and
 * acknowledges. Verified before parsing; an unverifiable one is not trusted (we inquire
 * instead) and not acknowledged, so a genuine one is sent again. Duplicates are acknowledged and ignored.
 */
@Controller()
export class AntomNotifyController {
  constructor(
    private readonly notifications: AcquirerNotificationsService,
    @Inject(UPSTREAM_CREDENTIALS) private readonly creds: UpstreamCredentials,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post('/antom/notify')
  @HttpCode(200)
  async receive(@Req() req: FastifyRequest): Promise<object> {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const text = raw.toString('utf8');
    const body = parse(text);
    if (!this.verified(req, raw)) {
      this.logger.warn({ notifyType: body?.notifyType }, 'notification with a bad or missing signature: not trusted, inquiring instead');
      await this.notifications.inquireInstead(body);
      return { result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: 'signature verification failed' } };
    }
    // A repeated name means two readings of one notification (JSON.parse keeps the last): never applied, not
    // acknowledged, named; the payment is inquired instead (an inquiry only asks the acquirer, whatever ids it names).
    const duplicate = body && duplicateKey(text);
    if (duplicate) {
      this.logger.warn(
        { notifyType: String(body.notifyType).slice(0, 32) },
        'notification with a repeated field name: not applied, inquiring instead',
      );
      await this.notifications.inquireInstead(body);
      return { result: { resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: duplicateKeyMessage(duplicate) } };
    }
    const stale = staleNotifyTime(
      headerOf(req, 'request-time'),
      this.config.NOTIFY_REQUEST_TIME_WINDOW_SECONDS ?? this.config.REQUEST_TIME_WINDOW_SECONDS,
    );
    if (stale) {
      // Signed, but old or undated: a replay is never applied. Acknowledged all the same (any other answer
      // is resent for ever); the payment is reconciled by inquiry instead.
      this.logger.warn({ notifyType: String(body?.notifyType).slice(0, 32), reason: stale }, 'notification not applied: inquiring instead');
      await this.notifications.inquireInstead(body);
      return NOTIFY_ACK;
    }
    if (!body) return { result: { resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: 'malformed body' } };
    // Acknowledged only once applied (or proven already applied): an error here is not an ack, so Antom resends.
    const refused = await this.notifications.apply(body);
    if (refused) {
      // Signed but not applicable as sent (a notifyDispute with a bad field): not acknowledged, named, never quoted.
      this.logger.warn({ reason: refused.error }, 'notification refused');
      return { result: { resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: refused.error } };
    }
    return NOTIFY_ACK;
  }

  private verified(req: FastifyRequest, raw: Buffer): boolean {
    const sig = parseSignatureHeader(headerOf(req, 'signature'));
    const time = headerOf(req, 'request-time');
    const clientId = headerOf(req, 'client-id');
    if (!sig || !time || clientId !== this.creds.clientId) return false;
    return verify({ path: req.url, clientId, time, body: raw }, sig.signature, this.creds.acquirerPublicKey);
  }
}

function parse(text: string): Body | null {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

function headerOf(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
