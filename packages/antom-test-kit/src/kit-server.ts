import * as http from 'node:http';
import { AddressInfo } from 'node:net';

import type { ProductControls } from 'antom-card-gateway/boot';
import type { Notification } from 'antom-client';
import { NotificationHandler } from 'antom-client';

import { AnswerProxy } from './answer-proxy';
import { jsonCall } from './http-json';
import { InboxFilter, InboxStore, matches } from './inbox';

export interface KitServerDeps {
  gatewayPublicKey: string;
  clientId: string;
  proxy: AnswerProxy;
  sandboxUrl: string;
  /** The acquirer's id of a gateway payment (the sandbox's controls name the acquirer's ids). */
  upstreamPaymentId(paymentId: string): Promise<string | null>;
  /** Clock and settlement (kit-controls.ts). */
  controls: ProductControls;
}

/** Path of the merchant's notify URL on the kit's server. */
export const NOTIFY_PATH = '/merchant/notify';

/**
 * One loopback HTTP server in the process that started the gateway: the merchant's notify URL (the
 * client's NotificationHandler in front of the inbox) and the kit's controls, so that test files in other
 * Jest processes (the kit started in globalSetup) drive the same inbox and faults over HTTP.
 */
export class KitServer {
  readonly inbox = new InboxStore();
  private refusals: Array<{ mode: 'FAIL' | 'DUPLICATE'; filter: InboxFilter; remaining: number }> = [];
  private server!: http.Server;
  private readonly handler: NotificationHandler;
  url = '';

  constructor(private readonly deps: KitServerDeps) {
    this.handler = new NotificationHandler({
      serverPublicKey: deps.gatewayPublicKey,
      clientId: deps.clientId,
      onNotification: (n) => this.receive(n),
    });
  }

  async start(): Promise<this> {
    const notify = this.handler.nodeListener();
    this.server = http.createServer((req, res) => {
      if ((req.url ?? '').split('?')[0] === NOTIFY_PATH) return notify(req, res);
      void this.control(req).then(
        (out) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out ?? {})),
        (e: unknown) =>
          res
            .writeHead(e instanceof NotFound ? 404 : 500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: e instanceof Error ? e.message : String(e) })),
      );
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A verified notification: recorded, unless the test asked for this delivery to fail. */
  private receive(n: Notification): void {
    const rule = this.refusals.find((r) => matches(n, r.filter));
    if (!rule) return this.inbox.add(n);
    if (--rule.remaining <= 0) this.refusals = this.refusals.filter((r) => r !== rule);
    if (rule.mode === 'DUPLICATE') this.inbox.add(n);
    throw new Error('refused on purpose: the gateway sends it again');
  }

  private async control(req: http.IncomingMessage): Promise<unknown> {
    const body = await readJson(req);
    const route = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    switch (route) {
      case 'POST /kit/inbox/next':
        return this.inbox.next(body.filter as InboxFilter, Number(body.timeoutMs ?? 10_000));
      case 'GET /kit/inbox':
        return this.inbox.all();
      case 'POST /kit/network/drop-answers':
        return this.deps.proxy.dropAnswers(String(body.api ?? 'payments/pay'), Number(body.times ?? 1));
      case 'POST /kit/notifications/refuse':
        return void this.refusals.push({
          mode: body.mode === 'DUPLICATE' ? 'DUPLICATE' : 'FAIL',
          filter: (body.filter ?? {}) as InboxFilter,
          remaining: Math.max(1, Number(body.times ?? 1)),
        });
      case 'POST /kit/sandbox/faults':
        return this.sandbox('POST', '/sandbox/control/faults', body);
      case 'DELETE /kit/sandbox/faults':
        return this.sandbox('DELETE', '/sandbox/control/faults');
      case 'POST /kit/sandbox/expire-authorization': {
        const upstream = await this.deps.upstreamPaymentId(String(body.paymentId));
        if (!upstream) throw new Error(`no authorized payment ${String(body.paymentId)}`);
        return this.sandbox('POST', '/sandbox/control/expire-authorization', { paymentId: upstream });
      }
      case 'POST /kit/clock/advance':
        return this.deps.controls.advanceClock(Number(body.ms));
      case 'POST /kit/settle':
        return this.deps.controls.settle(this.deps.clientId, typeof body.ref === 'string' ? body.ref : undefined);
      case 'POST /kit/sandbox/complete-3ds': {
        const upstream = await this.deps.controls.upstreamIdOf(this.deps.clientId, String(body.ref));
        if (!upstream) throw new Error(`no payment ${String(body.ref)} at the acquirer`);
        return this.sandbox('POST', '/sandbox/control/complete-challenge', { paymentId: upstream, action: body.action });
      }
      default:
        throw new NotFound(route);
    }
  }

  private async sandbox(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await jsonCall(this.deps.sandboxUrl + path, method, body ?? {});
    if (res.status !== 200 || res.json?.ok === false) throw new Error(`sandbox control ${path}: ${JSON.stringify(res.json)}`);
    return res.json;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

class NotFound extends Error {}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(text ? JSON.parse(text) : {});
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}
