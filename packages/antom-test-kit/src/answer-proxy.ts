import * as http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * The merchant's network to the gateway, as a plain forwarding proxy on loopback, so a test can lose an
 * answer: the request reaches the gateway and is processed (committed), then the connection to the client
 * is destroyed without a byte of the answer — what a timeout or a reset looks like to a merchant.
 */
export class AnswerProxy {
  private drops: Array<{ api: string; remaining: number }> = [];
  private server!: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true });
  url = '';

  constructor(private readonly target: string) {}

  /** The next `times` answers of `api` (e.g. `payments/pay`; `*` for any) are lost after processing. */
  dropAnswers(api: string, times: number): void {
    this.drops.push({ api, remaining: Math.max(1, times) });
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.forward(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', this.target);
    const headers = { ...req.headers, host: url.host };
    const up = http.request(url, { method: req.method, headers, agent: this.agent }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        if (this.takeDrop(url.pathname)) {
          res.socket?.destroy();
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
      });
    });
    up.on('error', () => res.socket?.destroy());
    up.end(body);
  }

  private takeDrop(path: string): boolean {
    const d = this.drops.find((x) => x.api === '*' || path.endsWith(`/${x.api}`));
    if (!d) return false;
    if (--d.remaining <= 0) this.drops = this.drops.filter((x) => x !== d);
    return true;
  }

  close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
