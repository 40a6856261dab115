import { createHash, KeyObject } from 'node:crypto';

import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Pool } from 'pg';

import { loadPrivateKey, loadPublicKey } from '../src/antom/keys';
import { originForm } from '../src/antom/origin-form';
import { formatResponseTime, parseRequestTime } from '../src/antom/request-time';
import { antomResult } from '../src/antom/result-codes';
import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../src/antom/signature';
import { consult, getCardInfo, inquireInstallment } from './card-apis';
import { registerControl } from './control';
import { acceptDispute, downloadDisputeEvidence, supplyDefenseDocument } from './disputes';
import { BEFORE_PROCESSING, FaultInjector, TransportFault } from './faults';
import { forgeryKey } from './forgery-key';
import { inquiryPayment, inquiryRefund } from './inquiry';
import { cancel, capture, refund } from './lifecycle';
import { Notifier } from './notifier';
import { registerPages } from './pages';
import { pay } from './pay';
import { SandboxClock } from './sandbox-clock';
import { Body, SandboxContext, SandboxError } from './sandbox-context';
import { SandboxStore } from './sandbox-store';
import { LateSettler } from './settle';
import { updateAmount } from './update-amount';
import { ANSWER_TYPES, asSdkTypes } from './wire-types';

export interface SandboxOptions {
  port: number;
  host?: string;
  databaseUrl: string;
  /** The sandbox's own signing key (PKCS#8 PEM). */
  privateKeyPem: string;
  /** Registered clients: client id → public key PEM. */
  clients: Record<string, string>;
  /** Scales the notification retry schedule (config SANDBOX_NOTIFY_TIME_SCALE); 1 = Antom's real timing. */
  notifyTimeScale?: number;
  /** How often the notification outbox is polled for due retries. */
  notifyPollMs?: number;
  /** How long the `slow` fault holds the answer (config SANDBOX_SLOW_ANSWER_MS); beyond the client's timeout. */
  slowAnswerMs?: number;
  /** Capture window of an authorization (authExpiryTime), seconds; Antom's is about 7 days. */
  authValiditySeconds?: number;
  /** Base URL the buyer's browser uses for the sandbox pages; defaults to the listening address. */
  publicUrl?: string;
  /** PEM trusted besides the public roots when delivering notifications (the gateway's development certificate). */
  trustCaPem?: string;
  /** Seconds from a capture of the dispute test card to its notifyDispute (config SANDBOX_DISPUTE_DELAY_SECONDS). */
  disputeDelaySeconds?: number;
  /**
   * Called with every authenticated API request as received (tests record what reaches the acquirer). The
   * body is the sandbox's own parsed copy: the hook must keep no card data (the harness masks it).
   */
  onRequest?: (api: string, body: Body) => void;
}

export interface RunningSandbox {
  url: string;
  close(): Promise<void>;
}

type Handler = (ctx: SandboxContext, clientId: string, body: Body) => Promise<Body>;

const APIS: Record<string, Handler> = {
  'payments/pay': pay,
  'payments/capture': capture,
  'payments/cancel': cancel,
  'payments/refund': refund,
  'payments/updateAmount': updateAmount,
  'payments/inquiryPayment': inquiryPayment,
  'payments/inquiryRefund': inquiryRefund,
  'payments/acceptDispute': acceptDispute,
  'payments/supplyDefenseDocument': supplyDefenseDocument,
  'payments/downloadDisputeEvidence': downloadDisputeEvidence,
  'payments/getCardInfo': getCardInfo,
  'payments/inquireInstallment': inquireInstallment,
  'payments/consult': consult,
};

interface ServerEnv {
  ctx: SandboxContext;
  key: KeyObject;
  clients: Map<string, KeyObject>;
  faults: FaultInjector;
  slowAnswerMs: number;
  sleep(ms: number): Promise<void>;
  onRequest?: (api: string, body: Body) => void;
}

/**
 * An Antom-compatible acquirer for development and tests: its own HTTP server and schema, sharing only
 * the wire-protocol code with the gateway. It verifies and signs exactly like Antom.
 */
export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  // Asynchronous commit for the sandbox's own sessions only: it stands in for the acquirer, whose records
  // are not ours to make power-loss proof, and a commit's WAL flush was a third of each of its statements'
  // PostgreSQL CPU (`npm run bench`). The gateway's sessions keep synchronous_commit=on.
  const pool = new Pool({ connectionString: opts.databaseUrl, max: 10, options: '-c synchronous_commit=off' });
  pool.on('error', () => undefined); // an idle connection dropped by a database restart is replaced on next use
  const store = new SandboxStore(pool);
  await store.init();
  const key = loadPrivateKey(opts.privateKeyPem);
  // Outbox rows belong to the key that signs them: a restart with the same key resumes their delivery.
  const owner = createHash('sha256')
    .update('sandbox-owner')
    .update(key.export({ format: 'der', type: 'pkcs8' }))
    .digest('hex')
    .slice(0, 24);
  const clock = new SandboxClock();
  const notifier = new Notifier(store, key, owner, {
    clock,
    timeScale: opts.notifyTimeScale ?? 1,
    pollMs: opts.notifyPollMs ?? 250,
    trustCaPem: opts.trustCaPem,
  });
  let url = '';
  const ctx: SandboxContext = {
    store,
    notifier,
    clock,
    hmacKey: createHash('sha256')
      .update('sandbox-card-hash')
      .update(key.export({ format: 'der', type: 'pkcs8' }))
      .digest(),
    publicUrl: () => opts.publicUrl ?? url,
    authValiditySeconds: opts.authValiditySeconds ?? 7 * 24 * 3600,
    lateSettleSeconds: 120 * (opts.notifyTimeScale ?? 1),
    disputeDelaySeconds: opts.disputeDelaySeconds ?? 5,
  };
  const settler = new LateSettler(ctx, owner, opts.notifyPollMs ?? 250);
  const sleepers = new Set<() => void>();
  const env: ServerEnv = {
    ctx,
    key,
    faults: new FaultInjector(store),
    slowAnswerMs: opts.slowAnswerMs ?? 30_000,
    clients: new Map(Object.entries(opts.clients).map(([id, pem]) => [id, loadPublicKey(pem)])),
    onRequest: opts.onRequest,
    sleep: (ms) =>
      new Promise((resolve) => {
        const done = () => {
          clearTimeout(t);
          sleepers.delete(done);
          resolve();
        };
        const t = setTimeout(done, ms);
        sleepers.add(done);
      }),
  };
  const app = buildApp(env);
  const address = await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' });
  url = address.replace('[::1]', '127.0.0.1');
  notifier.start();
  settler.start();
  return {
    url,
    close: async () => {
      for (const wake of [...sleepers]) wake();
      await app.close();
      await settler.close();
      await notifier.close();
      await pool.end();
    },
  };
}

function buildApp(env: ServerEnv): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024, forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  for (const [api, handler] of Object.entries(APIS)) {
    for (const prefix of ['/ams/api/v1/', '/ams/sandbox/api/v1/']) {
      app.post(prefix + api, (req, reply) => serve(req, reply, env, api, handler));
    }
  }
  app.get('/health', async () => ({ status: 'ok' }));
  registerPages(app, env.ctx);
  registerControl(app, env.ctx, env.faults);
  return app;
}

async function serve(req: FastifyRequest, reply: FastifyReply, env: ServerEnv, api: string, handler: Handler) {
  const clientId = String(req.headers['client-id'] ?? '');
  let body: Body;
  let fault: TransportFault | null = null;
  try {
    const input = authenticate(req, env.clients, clientId);
    env.onRequest?.(api, input);
    fault = await env.faults.pick(api, clientId, input);
    if (fault && BEFORE_PROCESSING.has(fault)) return await refuseEarly(reply, env, originForm(req.url), clientId, fault);
    body = await handler(env.ctx, clientId, input);
    if (fault === 'unknown') body = { result: antomResult('UNKNOWN_EXCEPTION') };
  } catch (e) {
    body = { result: e instanceof SandboxError ? antomResult(e.code, e.message) : antomResult('UNKNOWN_EXCEPTION') };
  }
  if (fault === 'slow') await env.sleep(env.slowAnswerMs);
  if (fault === 'drop') {
    // Processed and committed, but the answer never arrives: the client sees the connection die.
    reply.hijack();
    req.raw.socket.destroy();
    return;
  }
  // `forged`: processed, but the answer is signed with a key the client does not trust (a tampering proxy).
  // Every answer leaves in the JSON types of the SDK's model (wire-types.ts), stored answers replayed too.
  return sendSigned(reply, fault === 'forged' ? forgeryKey() : env.key, originForm(req.url), clientId, asSdkTypes(body, ANSWER_TYPES[api]));
}

function sendSigned(reply: FastifyReply, key: KeyObject, path: string, clientId: string, body: Body) {
  const json = JSON.stringify(body);
  const time = formatResponseTime();
  const signature = sign({ path, clientId, time, body: json }, key);
  return reply
    .header('client-id', clientId)
    .header('response-time', time)
    .header('signature', formatSignatureHeader(signature))
    .type('application/json; charset=UTF-8')
    .send(json);
}

/** Faults a real front end produces before the request reaches the payment system: nothing is processed. */
function refuseEarly(reply: FastifyReply, env: ServerEnv, path: string, clientId: string, fault: TransportFault) {
  if (fault === 'traffic') return sendSigned(reply, env.key, path, clientId, { result: antomResult('REQUEST_TRAFFIC_EXCEED_LIMIT') });
  const status = Number(fault.slice(4));
  return reply.status(status).type('text/html').send(`<html><body><h1>${status}</h1></body></html>`);
}

function authenticate(req: FastifyRequest, clients: Map<string, KeyObject>, clientId: string): Body {
  const publicKey = clients.get(clientId);
  if (!publicKey) throw new SandboxError('INVALID_CLIENT');
  const sig = parseSignatureHeader(req.headers['signature'] as string | undefined);
  const time = req.headers['request-time'] as string | undefined;
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (
    !sig ||
    !time ||
    parseRequestTime(time) === null ||
    !verify({ path: originForm(req.url), clientId, time, body: raw }, sig.signature, publicKey)
  ) {
    throw new SandboxError('INVALID_SIGNATURE');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new SandboxError('PARAM_ILLEGAL', 'Malformed JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SandboxError('PARAM_ILLEGAL', 'The body must be a JSON object.');
  return parsed as Body;
}
