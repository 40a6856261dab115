import { createHmac, randomUUID, KeyObject } from 'node:crypto';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Pool } from 'pg';
import { loadPrivateKey, loadPublicKey } from '../antom/keys';
import { formatResponseTime, parseRequestTime } from '../antom/request-time';
import { antomResult, ResultCode } from '../antom/result-codes';
import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../antom/signature';
import { SandboxStore } from './sandbox-store';
import { brandOf, outcomeFor } from './test-cards';

export interface SandboxOptions {
  port: number;
  host?: string;
  databaseUrl: string;
  /** The sandbox's own signing key (PKCS#8 PEM). */
  privateKeyPem: string;
  /** Registered clients: client id → public key PEM. */
  clients: Record<string, string>;
}

export interface RunningSandbox {
  url: string;
  close(): Promise<void>;
}

type Handler = (clientId: string, body: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * An Antom-compatible acquirer for development and tests: its own HTTP server and schema, sharing only
 * the wire-protocol code with the gateway. It verifies and signs exactly like Antom.
 */
export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  const pool = new Pool({ connectionString: opts.databaseUrl, max: 10 });
  pool.on('error', () => undefined); // an idle connection dropped by a database restart is replaced on next use
  const store = new SandboxStore(pool);
  await store.init();
  const key = loadPrivateKey(opts.privateKeyPem);
  const clients = new Map(Object.entries(opts.clients).map(([id, pem]) => [id, loadPublicKey(pem)]));
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const handlers: Record<string, Handler> = {
    'payments/pay': (clientId, body) => pay(store, key, clientId, body),
    'payments/inquiryPayment': (clientId, body) => inquiryPayment(store, clientId, body),
  };
  for (const [api, handler] of Object.entries(handlers)) {
    for (const prefix of ['/ams/api/v1/', '/ams/sandbox/api/v1/']) {
      app.post(prefix + api, (req, reply) => serve(req, reply, clients, key, handler));
    }
  }
  app.get('/health', async () => ({ status: 'ok' }));

  const address = await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' });
  return {
    url: address.replace('[::1]', '127.0.0.1'),
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

async function serve(req: FastifyRequest, reply: FastifyReply, clients: Map<string, KeyObject>, key: KeyObject, handler: Handler) {
  const clientId = String(req.headers['client-id'] ?? '');
  let body: Record<string, unknown>;
  try {
    body = await authenticate(req, clients, clientId);
    body = await handler(clientId, body);
  } catch (e) {
    body = { result: e instanceof SandboxError ? antomResult(e.code, e.message) : antomResult('UNKNOWN_EXCEPTION') };
  }
  const json = JSON.stringify(body);
  const time = formatResponseTime();
  const signature = sign({ path: req.url, clientId, time, body: json }, key);
  return reply
    .header('client-id', clientId)
    .header('response-time', time)
    .header('signature', formatSignatureHeader(signature))
    .type('application/json; charset=UTF-8')
    .send(json);
}

class SandboxError extends Error {
  constructor(readonly code: ResultCode, message?: string) {
    super(message ?? code);
  }
}

async function authenticate(req: FastifyRequest, clients: Map<string, KeyObject>, clientId: string): Promise<Record<string, unknown>> {
  const publicKey = clients.get(clientId);
  if (!publicKey) throw new SandboxError('INVALID_CLIENT');
  const sig = parseSignatureHeader(req.headers['signature'] as string | undefined);
  const time = req.headers['request-time'] as string | undefined;
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!sig || !time || parseRequestTime(time) === null || !verify({ path: req.url, clientId, time, body: raw }, sig.signature, publicKey)) {
    throw new SandboxError('INVALID_SIGNATURE');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new SandboxError('PARAM_ILLEGAL', 'Malformed JSON.');
  }
}

async function pay(store: SandboxStore, key: KeyObject, clientId: string, body: Record<string, unknown>) {
  const requestId = body.paymentRequestId;
  const amount = body.paymentAmount as { currency?: string; value?: string } | undefined;
  const meta = ((body.paymentMethod as Record<string, unknown>)?.paymentMethodMetaData ?? {}) as Record<string, unknown>;
  const cardNo = String(meta.cardNo ?? '');
  if (typeof requestId !== 'string' || !amount?.currency || !/^\d+$/.test(String(amount.value)) || !/^\d{12,19}$/.test(cardNo)) {
    throw new SandboxError('PARAM_ILLEGAL');
  }
  const captureMode = String((body.paymentFactor as Record<string, unknown>)?.captureMode ?? 'AUTOMATIC');
  const requestHash = createHmac('sha256', key.export({ format: 'pem', type: 'pkcs8' })).update(`${amount.currency}|${amount.value}|${cardNo}`).digest('hex');
  const paymentId = `sbx_${randomUUID().replace(/-/g, '')}`;
  const response = decide(body, paymentId, cardNo, amount as { currency: string; value: string }, meta);
  const { inserted, row } = await store.insertPayment({
    client_id: clientId, payment_request_id: requestId, payment_id: paymentId, request_hash: requestHash,
    status: (response.result as { resultStatus: string }).resultStatus, currency: amount.currency, amount: String(amount.value),
    capture_mode: captureMode, notify_url: (body.paymentNotifyUrl as string) ?? null, response,
  });
  if (!inserted && row.request_hash !== requestHash) throw new SandboxError('REPEAT_REQ_INCONSISTENT');
  return row.response;
}

function decide(body: Record<string, unknown>, paymentId: string, cardNo: string, amount: { currency: string; value: string }, meta: Record<string, unknown>) {
  const outcome = outcomeFor(cardNo);
  const now = new Date();
  const info = {
    cardNo: `${cardNo.slice(0, 6)}${'*'.repeat(cardNo.length - 10)}${cardNo.slice(-4)}`,
    cardBrand: brandOf(cardNo),
    funding: 'CREDIT',
    issuingCountry: 'US',
    avsResultRaw: meta.billingAddress ? outcome.avs : 'U',
    cvvResultRaw: outcome.cvv,
    networkTransactionId: `ntx${paymentId.slice(4, 20)}`,
  };
  const base = { paymentRequestId: body.paymentRequestId, paymentId, paymentAmount: amount, paymentCreateTime: formatResponseTime(now) };
  if (outcome.status === 'F') return { ...base, result: antomResult(outcome.code as ResultCode), paymentResultInfo: info };
  if (outcome.status === 'CHALLENGE') return { ...base, result: antomResult('PAYMENT_IN_PROCESS') };
  const authExpiry = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
  return { ...base, result: antomResult('SUCCESS'), paymentTime: formatResponseTime(now), authExpiryTime: formatResponseTime(authExpiry), paymentResultInfo: info };
}

async function inquiryPayment(store: SandboxStore, clientId: string, body: Record<string, unknown>) {
  const row = typeof body.paymentId === 'string'
    ? await store.findByPaymentId(clientId, body.paymentId)
    : typeof body.paymentRequestId === 'string' ? await store.findByRequestId(clientId, body.paymentRequestId) : null;
  if (!row) throw new SandboxError('ORDER_NOT_EXIST');
  const r = row.response as Record<string, unknown>;
  const status = row.status === 'S' ? 'SUCCESS' : row.status === 'F' ? 'FAIL' : 'PROCESSING';
  return { ...r, result: antomResult('SUCCESS'), paymentStatus: status, paymentResultCode: (r.result as { resultCode: string }).resultCode };
}
