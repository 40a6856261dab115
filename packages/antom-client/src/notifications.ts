import { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import { DEFAULT_TIME_WINDOW_MS, staleness } from './header-time';
import { publicKeyOf, verifySignatureHeader } from './signing';
import type { Notification, NotificationKind, NotifyType } from './wire-types';

/** The exact acknowledgement Antom (and the gateway) expect; anything else makes the sender resend. */
export const NOTIFY_ACK_BODY = '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}';

/** Largest notification body read (the gateway's are a few kB). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface NotificationMeta {
  /** The request path as received and verified. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The exact bytes the signature covers. */
  raw: Buffer;
  /** Which notification it is (notifyVaulting and notifyDispute have no notifyType: VAULTING_RESULT, DISPUTE). */
  kind: NotificationKind;
}

export interface NotificationHandlerOptions {
  /** The key notifications are signed with: the gateway's `gatewayPublicKey`, or Antom's public key. */
  serverPublicKey: string | KeyObject;
  /** The merchant's client id: a notification for another is refused. Unset: any. */
  clientId?: string;
  /**
   * Called once per verified delivery (a sender may deliver one notification more than once: dedupe on the
   * ids in it). `meta.kind` names it. Resolve to ack; throw to answer 500, so the sender tries again later.
   */
  onNotification(notification: Notification, meta: NotificationMeta): void | Promise<void>;
  /** The path the sender signed, when a proxy in front rewrites it (default: the path as received). */
  signedPath?: (receivedPath: string) => string;
  /**
   * How far a delivery's signed Request-Time may lie from the local clock, either way. Default 5 minutes;
   * `Infinity` turns the check off. A delivery outside it (a replay of an old one, or one dated ahead) is
   * answered 401 REQUEST_TIME_EXPIRED, not acked and not handed on: the gateway, like Antom, signs each
   * attempt anew, so a genuine notification comes again with a fresh time on its sender's next attempt, and
   * a replay gets nothing. Keep the clock synchronised (NTP): a clock off by more refuses every delivery.
   */
  requestTimeWindowMs?: number;
  /**
   * A verified notification of a kind this handler does not know (a future notifyType, another product's
   * notification). Resolve to ack, throw to answer 500. Without it such a delivery is answered 400 and not
   * acked, so it stays on the sender's record of undelivered notifications rather than vanishing here.
   */
  onUnrecognised?(body: Record<string, unknown>, meta: Omit<NotificationMeta, 'kind'>): void | Promise<void>;
}

export interface NotificationReply {
  status: number;
  body: string;
}

/** The notifyType values a notification may carry (Antom's notifyPayment, notifyCapture, notifyRefund). */
const NOTIFY_TYPES: readonly NotifyType[] = ['PAYMENT_RESULT', 'PAYMENT_PENDING', 'CAPTURE_RESULT', 'UPDATE_AMOUNT_RESULT', 'REFUND_RESULT'];

/**
 * Which notification a parsed body is, or null for one this client does not know: a known notifyType, else
 * (no notifyType, as Antom's notifyVaulting and notifyDispute) a vaultingRequestId makes it VAULTING_RESULT,
 * a disputeId or disputeNotificationType DISPUTE.
 */
export function notificationKind(body: unknown): NotificationKind | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  if (b.notifyType !== undefined) return (NOTIFY_TYPES as readonly unknown[]).includes(b.notifyType) ? (b.notifyType as NotifyType) : null;
  if (typeof b.vaultingRequestId === 'string') return 'VAULTING_RESULT';
  if (typeof b.disputeId === 'string' || typeof b.disputeNotificationType === 'string') return 'DISPUTE';
  return null;
}

/**
 * Receives Antom-style notifications: the signature is checked over the raw body and the path before a
 * byte is parsed, then the signed Request-Time against `requestTimeWindowMs` (a replayed delivery is
 * refused); only then is the JSON read and handed on, and the ack Antom expects is answered. Every
 * notification Antom and the gateway send is accepted: notifyPayment (PAYMENT_RESULT, PAYMENT_PENDING,
 * UPDATE_AMOUNT_RESULT), notifyCapture (CAPTURE_RESULT), notifyRefund (REFUND_RESULT), and notifyVaulting and
 * notifyDispute, which have no notifyType. An unverified, stale or unreadable delivery is refused (not
 * acked), so a genuine one is resent by its sender, signed anew.
 */
export class NotificationHandler {
  private readonly key: KeyObject;
  private readonly windowMs: number;

  constructor(private readonly opts: NotificationHandlerOptions) {
    this.key = publicKeyOf(opts.serverPublicKey);
    this.windowMs = opts.requestTimeWindowMs ?? DEFAULT_TIME_WINDOW_MS;
    if (!(this.windowMs > 0)) throw new Error('requestTimeWindowMs must be a positive number of milliseconds (or Infinity)');
  }

  async handle(path: string, headers: IncomingHttpHeaders, raw: Buffer): Promise<NotificationReply> {
    const clientId = first(headers['client-id']);
    const time = first(headers['request-time']);
    const signedPath = this.opts.signedPath ? this.opts.signedPath(path) : path;
    if (!clientId || !time || !verifySignatureHeader(first(headers['signature']), { path: signedPath, clientId, time, body: raw }, this.key)) {
      return refusal(401, 'INVALID_SIGNATURE', 'The signature is invalid.');
    }
    if (this.opts.clientId && clientId !== this.opts.clientId) return refusal(401, 'INVALID_CLIENT', 'The notification is for another client.');
    // Signed, so the sender dated it: an old (or future-dated) delivery is a replay, whoever sends it now.
    if (staleness(time, this.windowMs))
      return refusal(401, 'REQUEST_TIME_EXPIRED', 'Request-Time is outside the allowed window; send it again, signed now.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return refusal(400, 'PARAM_ILLEGAL', 'The notification is not JSON.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      return refusal(400, 'PARAM_ILLEGAL', 'The notification is not a JSON object.');
    const kind = notificationKind(parsed);
    try {
      if (kind) await this.opts.onNotification(parsed as Notification, { path, headers, raw, kind });
      else if (this.opts.onUnrecognised) await this.opts.onUnrecognised(parsed as Record<string, unknown>, { path, headers, raw });
      else return refusal(400, 'PARAM_ILLEGAL', 'The notification is of a kind this receiver does not know.');
    } catch {
      return refusal(500, 'PROCESS_FAIL', 'The notification was not processed; send it again.');
    }
    return { status: 200, body: NOTIFY_ACK_BODY };
  }

  /**
   * A `(req, res)` listener for node:http and Express. Reads the raw body from the request stream; under
   * Express mount it before any JSON parser, or behind `express.raw({ type: '*\/*' })` (a Buffer `req.body`),
   * or with a parser that keeps `req.rawBody`. A body already parsed into an object cannot be verified and
   * is refused with 500 (the sender resends; the log says why).
   */
  nodeListener(): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      void this.fromNode(req).then(
        (reply) => res.writeHead(reply.status, { 'content-type': 'application/json; charset=UTF-8' }).end(reply.body),
        () =>
          res
            .writeHead(500, { 'content-type': 'application/json; charset=UTF-8' })
            .end(refusal(500, 'PROCESS_FAIL', 'The notification could not be read.').body),
      );
    };
  }

  /**
   * A Fastify plugin serving `POST <path>` with its own raw-body parser (encapsulated: the app's other
   * routes keep theirs): `app.register(handler.fastifyPlugin('/antom/notify'))`.
   */
  fastifyPlugin(path: string): (app: FastifyLike) => Promise<void> {
    return async (app) => {
      app.removeAllContentTypeParsers?.();
      app.addContentTypeParser(
        '*',
        { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES },
        (_req: unknown, body: Buffer, done: (e: Error | null, b?: Buffer) => void) => done(null, body),
      );
      app.post(path, this.fastifyRoute());
    };
  }

  /** A Fastify route handler, for a route whose body is the raw Buffer (a `parseAs: 'buffer'` parser) or that keeps `req.rawBody`. */
  fastifyRoute(): (req: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void> {
    return async (req, reply) => {
      const raw = Buffer.isBuffer(req.body)
        ? req.body
        : Buffer.isBuffer(req.rawBody)
          ? req.rawBody
          : typeof req.rawBody === 'string'
            ? Buffer.from(req.rawBody, 'utf8')
            : null;
      const answer = raw
        ? await this.handle(req.url, req.headers, raw)
        : refusal(500, 'PROCESS_FAIL', 'The raw body is not available to verify the signature.');
      reply.code(answer.status).header('content-type', 'application/json; charset=UTF-8').send(answer.body);
    };
  }

  private async fromNode(req: IncomingMessage & { body?: unknown; rawBody?: unknown; originalUrl?: string }): Promise<NotificationReply> {
    // Express rewrites req.url inside a mounted router; the signed path is the whole one.
    const path = req.originalUrl ?? req.url ?? '/';
    if (req.method !== 'POST') return refusal(405, 'NO_INTERFACE_DEF', 'Notifications are POSTed.');
    let raw: Buffer | null;
    if (Buffer.isBuffer(req.body)) raw = req.body;
    else if (Buffer.isBuffer(req.rawBody)) raw = req.rawBody;
    else if (typeof req.rawBody === 'string') raw = Buffer.from(req.rawBody, 'utf8');
    else if (req.body !== undefined || req.readableEnded) raw = null;
    else raw = await readBody(req);
    if (!raw)
      return refusal(500, 'PROCESS_FAIL', 'The body was parsed before the signature could be checked: mount the handler before the JSON parser.');
    return this.handle(path, req.headers, raw);
  }
}

/** What the plugin and the route handler need of Fastify (no dependency on a Fastify version). */
export interface FastifyLike {
  removeAllContentTypeParsers?: () => void;
  addContentTypeParser(
    type: string,
    opts: { parseAs: 'buffer'; bodyLimit?: number },
    parser: (req: unknown, body: Buffer, done: (e: Error | null, b?: Buffer) => void) => void,
  ): void;
  post(path: string, handler: (req: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void>): void;
}
export interface FastifyRequestLike {
  url: string;
  headers: IncomingHttpHeaders;
  body?: unknown;
  rawBody?: unknown;
}
export interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body: string): unknown;
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new Error('notification body too large'));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function refusal(status: number, resultCode: string, resultMessage: string): NotificationReply {
  return { status, body: JSON.stringify({ result: { resultCode, resultStatus: 'F', resultMessage } }) };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
