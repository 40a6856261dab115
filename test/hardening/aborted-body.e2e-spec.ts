import * as net from 'node:net';

import { waitFor } from '../support/receiver';
import { startTestStack, TestStack } from '../support/stack';

/** Issue 18: a request body the client abandons halfway is one log line, with no stack trace. */
describe('aborted request bodies', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.stop());

  function abandon(path: string): Promise<void> {
    const { port } = new URL(stack.gatewayUrl);
    return new Promise((resolve) => {
      const s = net.connect(Number(port), '127.0.0.1', () => {
        s.write(
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"notifyType":"PAYMENT_RESULT","x":"`,
        );
        setTimeout(() => s.destroy(), 200);
      });
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
  }

  it.each(['/antom/notify', '/admin/login', '/v1/payments/pay'])('logs an abandoned body on %s as one line without a stack', async (path) => {
    const before = stack.logLines().length;
    await abandon(path);
    await new Promise((r) => setTimeout(r, 500));
    // The request's own lines: background workers (notification deliveries, reconciliation) log meanwhile.
    const ofRequest = (l: Record<string, unknown>) => !/notification|reconcil|expiry|sweep/i.test(String(l.msg));
    const lines = await waitFor(async () => {
      const l = stack.logLines().slice(before).filter(ofRequest);
      return l.length ? l : null;
    }, 5000).catch(() => [] as Array<Record<string, unknown>>);
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/"stack"|\bat \S+ \(/);
    expect(lines.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
    expect(lines.map((l) => l.msg)).toHaveLength(Math.min(lines.length, 1));
    expect((await fetch(`${stack.gatewayUrl}/health`)).status).toBe(200);
  });
});
