import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';

import { AntomError } from '../antom/antom-error';
import { originForm } from '../antom/origin-form';
import { parseRequestTime } from '../antom/request-time';
import { dropNullMembers } from '../antom/requests/absent-nulls';
import { duplicateKey, duplicateKeyMessage } from '../antom/requests/duplicate-keys';
import { jsonShapeProblem } from '../antom/requests/json-shape';
import { parseSignatureHeader, verify } from '../antom/signature';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantIdentity, MerchantsService } from '../merchants/merchants.service';
import { keyVersionOf } from './key-version';
import { MerchantRateLimiter } from './merchant-rate-limiter';

export interface AuthenticatedRequest extends FastifyRequest {
  merchant?: MerchantIdentity;
  antomBody?: unknown;
}

/**
 * The merchant whose signature MerchantAuthGuard verified; every merchant API route runs behind it. Without it
 * (a route left unguarded) the request is refused as from no known client, never served as nobody.
 */
export function merchantOf(req: AuthenticatedRequest): MerchantIdentity {
  if (!req.merchant) throw new AntomError('INVALID_CLIENT', 'The request was not authenticated.');
  return req.merchant;
}

/**
 * The requests whose merchant signature verified: their caller holds a merchant's key. The per-IP limit on the
 * merchant API (bootstrap/merchant-ip-limit.ts) counts every other merchant API request.
 */
const authenticated = new WeakSet<FastifyRequest>();

export function isAuthenticated(req: FastifyRequest): boolean {
  return authenticated.has(req);
}

/**
 * Verifies the merchant's Antom-style RSA signature over the raw body before anything is parsed,
 * checks the replay window, then parses the JSON. Failures become Antom F results, never 4xx.
 */
@Injectable()
export class MerchantAuthGuard implements CanActivate {
  constructor(
    private readonly merchants: MerchantsService,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    private readonly rateLimiter: MerchantRateLimiter,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const clientId = header(req, 'client-id');
    if (!clientId) throw new AntomError('INVALID_CLIENT', 'Client-Id header is missing.');
    const merchant = await this.merchants.findByClientId(clientId);
    // For the refusal log line only (server side, as before): the answer below never says whether it exists.
    if (merchant) req.merchant = merchant;
    const time = header(req, 'request-time');
    const signatureHeader = header(req, 'signature');
    const sig = parseSignatureHeader(signatureHeader);
    if (!sig) throw new AntomError('INVALID_SIGNATURE', 'Signature header is missing or malformed.');
    if (!time) throw new AntomError('INVALID_SIGNATURE', 'Request-Time header is missing; the signature covers it.');
    const version = keyVersionOf(signatureHeader);
    const key = merchant && version !== null ? merchant.keys.get(version ?? merchant.latestKeyVersion) : undefined;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    /*
     * Unknown Client-Id, unknown or malformed keyVersion and a signature that does not verify all get the
     * same code and message, so a caller without a merchant's private key cannot tell which client ids or
     * key versions exist. Antom documents INVALID_SIGNATURE (F) with these causes, among others
     * (docs.antom.com/ac/ref/INVALID_SIGNATURE_error_code): "public and private keys do not match" and
     * "the updated key does not take effect", i.e. a key the receiver does not hold is within its meaning,
     * and the merchant's fix is the same (check Client-Id, keyVersion and the key pair). INVALID_CLIENT
     * and KEY_NOT_FOUND stay in result-codes.ts; INVALID_CLIENT is still answered for a missing Client-Id
     * (no id to enumerate) and to a correctly signed request of a suspended merchant. All are final F:
     * the same request resent cannot pass.
     */
    if (!merchant || !key || !verify({ method: req.method, path: originForm(req.url), clientId, time, body }, sig.signature, key)) {
      throw new AntomError('INVALID_SIGNATURE', 'The signature does not match the request (check Client-Id, keyVersion and the key pair).');
    }
    authenticated.add(req);
    // Only a caller holding the merchant's key learns that the merchant is suspended.
    if (merchant.status !== 'ACTIVE') throw new AntomError('INVALID_CLIENT', 'This Client-Id is not active.');
    this.checkReplayWindow(time);
    // After the signature: only authenticated traffic spends a merchant's budget, so nobody can
    // exhaust another merchant's limit by sending junk with its Client-Id.
    if (!this.rateLimiter.take(merchant.id)) {
      throw new AntomError('REQUEST_TRAFFIC_EXCEED_LIMIT', 'Too many requests for this merchant; retry later with the same request id.');
    }
    req.antomBody = parseJson(body);
    return true;
  }

  private checkReplayWindow(time: string): void {
    const at = parseRequestTime(time);
    if (at === null) throw new AntomError('PARAM_ILLEGAL', 'Request-Time is not a valid time.');
    if (Math.abs(Date.now() - at) > this.config.REQUEST_TIME_WINDOW_SECONDS * 1000) {
      throw new AntomError('REQUEST_TIME_EXPIRED', `Request-Time is outside the ${this.config.REQUEST_TIME_WINDOW_SECONDS} s window.`);
    }
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AntomError('PARAM_ILLEGAL', 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AntomError('PARAM_ILLEGAL', 'The request body must be a JSON object.');
  }
  // JSON.parse kept the last of a repeated name: refused, so nothing acts on a value another reader would not see.
  const duplicate = duplicateKey(text);
  if (duplicate) throw new AntomError('PARAM_ILLEGAL', duplicateKeyMessage(duplicate));
  const problem = jsonShapeProblem(parsed);
  if (problem) throw new AntomError('PARAM_ILLEGAL', problem);
  return dropNullMembers(parsed);
}
