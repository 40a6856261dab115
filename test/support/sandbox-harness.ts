import { randomUUID } from 'node:crypto';

import { Pool } from 'pg';

import { RunningSandbox, SandboxOptions, startSandbox } from '../../sandbox/sandbox-server';
import { loadPublicKey } from '../../src/antom/keys';
import { s2sPay } from './fixtures';
import { MerchantClient } from './merchant-client';
import { NotifyReceiver } from './notify-receiver';
import { testKeyPair } from './test-keys';

export interface SandboxHarness {
  sandbox: RunningSandbox;
  /** Signs like an Antom SDK client and verifies the sandbox's answer signatures. */
  client: MerchantClient;
  /** The client's signing key and the sandbox's answer key, for tests that write the bytes themselves. */
  clientPrivateKeyPem: string;
  sandboxPublicKeyPem: string;
  receiver: NotifyReceiver;
  /** Direct reads of the sandbox schema, for "exactly one authorization" style checks. */
  pool: Pool;
  options: SandboxOptions;
  /**
   * Every API request that reached the sandbox, in order, as parsed there (the recorder of what reaches the
   * acquirer): card number and CVV replaced by `[card]`, nothing else changed.
   */
  received: Array<{ api: string; body: Record<string, any> }>;
  /** The last request of `api` whose paymentRequestId (or other request id) is `id`. */
  lastReceived(api: string, id?: string): Record<string, any> | undefined;
  restart(extra?: Partial<SandboxOptions>): Promise<void>;
  control(path: string, body?: object, method?: string): Promise<Response>;
  stop(): Promise<void>;
}

/** The sandbox alone, driven over HTTP as the gateway (or any Antom client) would drive it. */
export async function startSandboxHarness(extra: Partial<SandboxOptions> = {}): Promise<SandboxHarness> {
  const sandboxKeys = testKeyPair();
  const clientKeys = testKeyPair();
  const clientId = `SANDBOX_H${randomUUID().slice(0, 8).toUpperCase()}`;
  const received: SandboxHarness['received'] = [];
  const options: SandboxOptions = {
    onRequest: (api, body) => {
      received.push({ api, body: withoutCard(body) });
    },
    port: 0,
    databaseUrl: process.env.TEST_DATABASE_URL!,
    privateKeyPem: sandboxKeys.privateKeyPem,
    clients: { [clientId]: clientKeys.publicKeyPem },
    notifyTimeScale: 0.0005,
    notifyPollMs: 20,
    slowAnswerMs: 1500,
    ...extra,
  };
  const receiver = await new NotifyReceiver(loadPublicKey(sandboxKeys.publicKeyPem)).start();
  const h: SandboxHarness = {
    sandbox: await startSandbox(options),
    client: undefined as unknown as MerchantClient,
    clientPrivateKeyPem: clientKeys.privateKeyPem,
    sandboxPublicKeyPem: sandboxKeys.publicKeyPem,
    receiver,
    pool: new Pool({ connectionString: options.databaseUrl, max: 2 }),
    options,
    received,
    lastReceived: (api, id) => received.filter((r) => r.api === api && (id === undefined || Object.values(r.body).includes(id))).at(-1)?.body,
    async restart(more = {}) {
      await h.sandbox.close();
      h.sandbox = await startSandbox({ ...options, ...more, port: Number(new URL(h.sandbox.url).port) });
    },
    control: (path, body = {}, method = 'POST') =>
      fetch(`${h.sandbox.url}${path}`, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    async stop() {
      await h.sandbox.close();
      await receiver.close();
      await h.pool.end();
    },
  };
  h.client = new MerchantClient(h.sandbox.url, clientId, clientKeys.privateKeyPem, sandboxKeys.publicKeyPem);
  return h;
}

/**
 * What a gateway started by startTestStack needs to use this harness's sandbox as its acquirer (instead of
 * the bundled one), so that `received` shows what the gateway sends upstream. Its notify URL is its own.
 */
export function gatewayOnHarness(h: SandboxHarness): Record<string, string> {
  return {
    ANTOM_BASE_URL: h.sandbox.url,
    ANTOM_CLIENT_ID: h.client.clientId,
    ANTOM_PRIVATE_KEY: h.clientPrivateKeyPem,
    ANTOM_PUBLIC_KEY: h.sandboxPublicKeyPem,
  };
}

function withoutCard(body: Record<string, unknown>): Record<string, any> {
  return JSON.parse(JSON.stringify(body), (k, v) => (k === 'cardNo' || k === 'cvv' ? '[card]' : v));
}

/** A pay as the gateway sends it upstream: the seed's S2S request with our receiver as notify URL. */
export function upstreamPay(h: SandboxHarness, o: Parameters<typeof s2sPay>[0] & { notifyPath?: string } = {}) {
  const req = s2sPay(o);
  req.paymentNotifyUrl = `${h.receiver.url}${o.notifyPath ?? '/antom/notify'}`;
  req.paymentRedirectUrl = 'https://merchant.example/return';
  return req;
}
