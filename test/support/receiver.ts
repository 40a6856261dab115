import * as http from 'node:http';

import { NotifyReceiver, ReceivedNotification } from './notify-receiver';

export interface Received {
  at: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Answer = { status: number; body: string };

/**
 * A merchant notification endpoint for suites that read raw bodies: a view of the one receiver
 * (NotifyReceiver) that answers with whatever `respond` decides (Antom's ack by default), at once or when
 * its promise settles (a slow merchant). `n` counts from 1.
 */
export async function startReceiver(respond: (r: Received, n: number) => Answer | Promise<Answer> = () => ack()) {
  const receiver = new NotifyReceiver();
  const view = (n: ReceivedNotification): Received => ({ at: n.at, path: n.path, headers: n.headers, body: n.raw });
  receiver.respond = (n, index) => respond(view(n), index + 1);
  await receiver.start();
  return {
    url: receiver.url,
    get received(): Received[] {
      return receiver.received.map(view);
    },
    close: () => receiver.close(),
  };
}

export function ack() {
  return { status: 200, body: JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } }) };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
