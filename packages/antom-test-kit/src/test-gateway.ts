import { AntomClient, AntomClientOptions } from 'antom-client';

import { jsonCall } from './http-json';
import { Inbox, InboxFilter, NotificationOf } from './inbox';
import { KitControls, kitControls } from './kit-controls';

/** What a merchant's code is configured with to reach the test gateway (as for the real one). */
export interface MerchantCredentials {
  /** Where the merchant's requests go: the gateway, through the kit's network (see `network.dropAnswers`). */
  baseUrl: string;
  clientId: string;
  /** The merchant's private key (PKCS#8 PEM): signs requests. */
  privateKey: string;
  /** The gateway's public key (SPKI PEM): verifies answers and notifications. */
  gatewayPublicKey: string;
  /** The merchant's notify URL at the kit (the merchant's default; also usable as `paymentNotifyUrl`). */
  notifyUrl: string;
}

/** Sandbox transport faults (sandbox/faults.ts): what the gateway meets upstream on the next calls. */
export type UpstreamFault = 'slow' | 'drop' | 'http500' | 'http502' | 'http503' | 'unknown' | 'traffic' | 'forged';

/** Everything a test needs, the same whether the kit runs in this process or in globalSetup. */
export interface TestGatewayHandle extends KitControls {
  merchant: MerchantCredentials;
  /** A client for the merchant (close it, or let `stop()` do so for the kit's own). */
  client: AntomClient;
  /** A new client with other options (retries, timeouts), same merchant. */
  newClient(opts?: Partial<AntomClientOptions>): AntomClient;
  inbox: Inbox;
  /** The merchant's network to the gateway. */
  network: {
    /** The next `times` answers of `api` are lost after the gateway processed the request (the client sees no answer). */
    dropAnswers(api?: string, times?: number): Promise<void>;
  };
  /** How the merchant's notify URL answers. */
  notifications: {
    /** The next `times` matching deliveries are answered HTTP 500 unseen: the gateway resends them later (a delayed notification). */
    failNext(filter?: InboxFilter, times?: number): Promise<void>;
    /** The next `times` matching deliveries are recorded but answered 500, as when an ack is lost: the inbox receives them again. */
    duplicateNext(filter?: InboxFilter, times?: number): Promise<void>;
  };
  /** The bundled sandbox acquirer's controls; the test cards and fault amounts are in `TEST_CARDS` / `FAULT_AMOUNTS`. */
  sandbox: {
    /** The gateway's next `times` calls of `api` (`payments/capture`, `*`) to the acquirer meet `fault`. */
    upstreamFault(fault: UpstreamFault, api?: string, times?: number): Promise<void>;
    clearUpstreamFaults(): Promise<void>;
    /** The payment's authorization expires now: its next capture is declined with F AUTH_EXPIRED. */
    expireAuthorization(paymentId: string): Promise<void>;
  };
}

/** The JSON a globalSetup hands to test files (process.env[TEST_GATEWAY_ENV]). */
export interface TestGatewayDescriptor {
  merchant: MerchantCredentials;
  controlUrl: string;
}

export const TEST_GATEWAY_ENV = 'ANTOM_TEST_GATEWAY';

export function handleFor(d: TestGatewayDescriptor): TestGatewayHandle {
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await jsonCall(d.controlUrl + path, method, body);
    if (res.status !== 200) throw new Error(res.json?.error ?? `test gateway control ${path}: HTTP ${res.status}`);
    return res.json;
  };
  const newClient = (opts: Partial<AntomClientOptions> = {}) =>
    new AntomClient({
      baseUrl: d.merchant.baseUrl,
      clientId: d.merchant.clientId,
      privateKey: d.merchant.privateKey,
      serverPublicKey: d.merchant.gatewayPublicKey,
      retryBackoffMs: 100,
      ...opts,
    });
  const inbox: Inbox = {
    next: <F extends InboxFilter>(filter: F, timeoutMs = 10_000) =>
      control('POST', '/kit/inbox/next', { filter, timeoutMs }) as Promise<NotificationOf<F['type']>>,
    all: () => control('GET', '/kit/inbox'),
  };
  return {
    ...kitControls(control),
    merchant: d.merchant,
    client: newClient(),
    newClient,
    inbox,
    network: { dropAnswers: async (api = 'payments/pay', times = 1) => void (await control('POST', '/kit/network/drop-answers', { api, times })) },
    notifications: {
      failNext: async (filter = {}, times = 1) => void (await control('POST', '/kit/notifications/refuse', { mode: 'FAIL', filter, times })),
      duplicateNext: async (filter = {}, times = 1) =>
        void (await control('POST', '/kit/notifications/refuse', { mode: 'DUPLICATE', filter, times })),
    },
    sandbox: {
      upstreamFault: async (fault, api = '*', times = 1) => void (await control('POST', '/kit/sandbox/faults', { fault, api, times })),
      clearUpstreamFaults: async () => void (await control('DELETE', '/kit/sandbox/faults')),
      expireAuthorization: async (paymentId) => void (await control('POST', '/kit/sandbox/expire-authorization', { paymentId })),
    },
  };
}

/**
 * In a test file, the gateway a globalSetup started with `startTestGateway()` (and `exportToEnv()`):
 * its client, credentials, inbox and controls, over loopback HTTP to the globalSetup's process.
 */
export function connectTestGateway(env: NodeJS.ProcessEnv = process.env): TestGatewayHandle {
  const raw = env[TEST_GATEWAY_ENV];
  if (!raw) throw new Error(`${TEST_GATEWAY_ENV} is not set: call startTestGateway() in globalSetup and then gateway.exportToEnv()`);
  return handleFor(JSON.parse(raw) as TestGatewayDescriptor);
}
