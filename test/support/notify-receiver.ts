import { KeyObject } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

import { NOTIFY_ACK_BODY } from '../../src/antom/notify-ack';
import { parseSignatureHeader, verify } from '../../src/antom/signature';

export interface ReceivedNotification {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
  signatureValid: boolean;
  at: number;
}

/** What to answer, at once or when its promise settles (a slow merchant): the ack by default; tests swap in failures to drive the retry schedule. */
export type Responder = (n: ReceivedNotification, index: number) => { status: number; body: string } | Promise<{ status: number; body: string }>;

/**
 * The test suites' one merchant endpoint (receiver.ts's `startReceiver` is a view of it), like a merchant's:
 * verifies the signature over the exact bytes and path when given the sender's key (without one,
 * `signatureValid` is false), acks only what verifies (unless told otherwise), and records everything.
 */
export class NotifyReceiver {
  readonly received: ReceivedNotification[] = [];
  /** Paths the buyer's browser was redirected to (GET). */
  readonly returns: string[] = [];
  respond: Responder = (n) => (n.signatureValid ? { status: 200, body: NOTIFY_ACK_BODY } : { status: 401, body: 'bad signature' });
  private server!: http.Server;
  url = '';

  constructor(private readonly senderKey?: KeyObject) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      if (req.method !== 'POST') {
        // The buyer's browser coming back to paymentRedirectUrl: not a notification.
        this.returns.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1 id="merchant">Back at the merchant</h1></body></html>');
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const sig = parseSignatureHeader(req.headers['signature'] as string | undefined);
        const signatureValid =
          !!sig &&
          !!this.senderKey &&
          verify(
            { path: req.url ?? '', clientId: String(req.headers['client-id']), time: String(req.headers['request-time']), body: raw },
            sig.signature,
            this.senderKey!,
          );
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
        const n = { path: req.url ?? '', headers: req.headers, raw, body, signatureValid, at: Date.now() };
        this.received.push(n);
        void Promise.resolve(this.respond(n, this.received.length - 1)).then((answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
        });
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Notifications whose body matches, in arrival order. */
  matching(pred: (body: any) => boolean): ReceivedNotification[] {
    return this.received.filter((n) => n.body && pred(n.body));
  }

  async waitFor(pred: (body: any) => boolean, count = 1, timeoutMs = 10_000): Promise<ReceivedNotification[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hits = this.matching(pred);
      if (hits.length >= count) return hits;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${count} notification(s); got ${this.matching(pred).length} of ${this.received.length}`);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
