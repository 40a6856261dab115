import { KeyObject, randomBytes } from 'node:crypto';

import fc from 'fast-check';
import { Dispatcher, request } from 'undici';

import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../../../src/antom/signature';
import { describeValue, hostileValue, LISTED_HOSTILE_VALUES, Raw, serialize } from './hostile-values';

type Json = Record<string, unknown>;

/** A merchant endpoint under attack: its API name and a valid request to mutate. */
export interface Endpoint {
  api: string;
  valid(): Json;
  /** U codes that are legitimate answers here (e.g. PAYMENT_IN_PROCESS for a 3DS card). */
  allowedU?: string[];
}

/** Who signs and how the headers look; `expect` is the code every body must get under it. */
export interface HeaderVariant {
  name: string;
  /** The code (or one of the codes) every body must get under this variant. */
  expect?: string | string[];
}

export interface HostileCase {
  endpoint: string;
  label: string;
  body: string;
  headers: HeaderVariant;
  method: string;
  /** The body is arbitrary bytes (carried as latin1), not UTF-8 text. */
  binary?: boolean;
}

export interface Signer {
  clientId: string;
  key: KeyObject;
}

export interface SendContext {
  baseUrl: string;
  merchant: Signer;
  other: Signer;
  gatewayKey: KeyObject;
  windowSeconds: number;
  dispatcher: Dispatcher;
}

export interface Answer {
  status: number;
  contentType: string;
  raw: string;
  body: any;
  signatureValid: boolean;
}

// ---------- bodies ----------

type Path = (string | number)[];

/** Every node below the root, so a mutation can hit a leaf, an object or an array. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const keys = Array.isArray(value) ? value.map((_v, i) => i) : Object.keys(value);
  return keys.flatMap((k) => {
    const p = [...prefix, k];
    return [p, ...paths((value as Record<string | number, unknown>)[k], p)];
  });
}

function parentOf(root: Json, p: Path): Record<string | number, unknown> | undefined {
  let node: unknown = root;
  for (const k of p.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[k] : undefined;
  return node && typeof node === 'object' ? (node as Record<string | number, unknown>) : undefined;
}

type Mutation = { op: 'set'; path: Path; value: unknown } | { op: 'delete'; path: Path } | { op: 'add'; path: Path; key: string; value: unknown };

/** Generated values can be shared constants: each request gets its own copy, so a later mutation can never
 * change a constant (or make a structure contain itself). Raw fragments are immutable and kept as they are. */
function copy(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || v instanceof Raw) return v;
  if (Array.isArray(v)) return v.map(copy);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]));
}

function apply(root: Json, m: Mutation): void {
  if (m.op === 'add') {
    const target = m.path.length ? parentOf(root, [...m.path, '_'])?.[m.path[m.path.length - 1]] : root;
    if (target && typeof target === 'object' && !Array.isArray(target)) (target as Json)[m.key] = copy(m.value);
    return;
  }
  const parent = parentOf(root, m.path);
  const key = m.path[m.path.length - 1];
  if (!parent) return;
  if (m.op === 'delete') delete parent[key];
  else parent[key] = copy(m.value);
}

const describe = (m: Mutation) =>
  m.op === 'delete'
    ? `delete ${m.path.join('.')}`
    : m.op === 'add'
      ? `add ${[...m.path, m.key].join('.')}=${describeValue(m.value)}`
      : `set ${m.path.join('.')}=${describeValue(m.value)}`;

/** Keys an added member may have: the prototype's, an existing field's, and blank ones. */
const RESERVED_KEYS = ['__proto__', 'constructor', 'paymentId', 'x', ''];

function mutationArb(template: Json): fc.Arbitrary<Mutation> {
  const all = paths(template);
  const objects = [
    [],
    ...all.filter((p) => {
      const v = parentOf(template, [...p, '_'])?.[p[p.length - 1]];
      return v && typeof v === 'object' && !Array.isArray(v);
    }),
  ];
  return fc.oneof(
    { weight: 10, arbitrary: fc.record({ op: fc.constant('set' as const), path: fc.constantFrom(...all), value: hostileValue }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...all) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('add' as const),
        path: fc.constantFrom(...objects),
        key: fc.oneof(fc.constantFrom(...RESERVED_KEYS), fc.string({ maxLength: 10 })),
        value: hostileValue,
      }),
    },
  );
}

/** The gateway's default BODY_LIMIT_BYTES (the suite keeps it): a body one byte longer is refused before anything else. */
export const BODY_LIMIT_BYTES = 256 * 1024;

/** The request with a `pad` field that makes it exactly one byte longer than the body limit. */
function justOverTheBodyLimit(template: Json): string {
  const base = serialize({ ...template, pad: '' }).length;
  return serialize({ ...template, pad: 'x'.repeat(BODY_LIMIT_BYTES + 1 - base) });
}

/** Whole bodies that are not a mutated request at all, each class once: not JSON, not an object, too big, wrongly encoded. */
function listedWholeBodies(template: Json): { label: string; body: string | Buffer }[] {
  return [
    { label: 'empty body', body: '' },
    { label: 'null', body: 'null' },
    { label: 'array of the request', body: `[${serialize(template)}]` },
    { label: 'BOM + JSON', body: '\uFEFF' + serialize(template) },
    { label: 'trailing garbage', body: serialize(template) + '}{' },
    { label: 'deep root 10000', body: '['.repeat(10_000) + ']'.repeat(10_000) },
    { label: 'deep object root 10000', body: '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) },
    { label: 'latin-1 bytes', body: Buffer.from(serialize(template).replace('}', ',"x":"é"}'), 'latin1') },
    { label: 'UTF-16 body', body: Buffer.from(serialize(template), 'utf16le') },
    { label: 'over the body limit', body: justOverTheBodyLimit(template) },
  ];
}

/** Whole bodies, random and listed. */
function wholeBodyArb(template: Json): fc.Arbitrary<{ label: string; body: string | Buffer }> {
  const valid = () => serialize(template);
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => ({ label: `random JSON ${describeValue(v)}`, body: serialize(v) })),
    fc.uint8Array({ maxLength: 300 }).map((b) => ({ label: `random bytes (${b.length})`, body: Buffer.from(b) })),
    fc.nat({ max: 400 }).map((n) => ({ label: `truncated at ${n}`, body: valid().slice(0, n) })),
    fc.constantFrom(...listedWholeBodies(template)),
  );
}

const HEADER_VARIANTS: [number, HeaderVariant][] = [
  [40, { name: 'signed' }],
  [2, { name: 'content-type text/plain' }],
  [1, { name: 'no content-type' }],
  [2, { name: "other merchant's key", expect: 'INVALID_SIGNATURE' }],
  [1, { name: "other merchant's client id", expect: 'INVALID_SIGNATURE' }],
  [1, { name: 'no client id', expect: 'INVALID_CLIENT' }],
  [1, { name: 'unknown client id', expect: 'INVALID_SIGNATURE' }],
  [1, { name: 'no signature', expect: 'INVALID_SIGNATURE' }],
  [1, { name: 'garbage signature', expect: 'INVALID_SIGNATURE' }],
  [1, { name: 'wrong algorithm', expect: 'INVALID_SIGNATURE' }],
  [1, { name: 'unknown keyVersion', expect: 'INVALID_SIGNATURE' }],
  [2, { name: 'stale Request-Time (replay)', expect: 'REQUEST_TIME_EXPIRED' }],
  [1, { name: 'future Request-Time', expect: 'REQUEST_TIME_EXPIRED' }],
  [1, { name: 'garbage Request-Time', expect: 'PARAM_ILLEGAL' }],
  [1, { name: 'no Request-Time', expect: 'INVALID_SIGNATURE' }],
  [2, { name: 'body tampered after signing', expect: 'INVALID_SIGNATURE' }],
  [1, { name: 'signed for another path', expect: 'INVALID_SIGNATURE' }],
];

const NON_POST_METHODS = ['GET', 'PUT', 'DELETE', 'PATCH'];

/** One case: a body sent with a header variant and a method, with the code the answer must carry where it is fixed. */
function toCase(endpoint: Endpoint, b: { label: string; body: string | Buffer }, h: HeaderVariant, m: string): HostileCase {
  return {
    endpoint: endpoint.api,
    label: `${m} [${h.name}] ${b.label}`,
    body: typeof b.body === 'string' ? b.body : b.body.toString('latin1'),
    binary: typeof b.body !== 'string',
    headers: h,
    method: m,
    // the body limit applies before any header is looked at
    ...(b.label === 'over the body limit' ? { headers: { name: h.name, expect: 'PARAM_ILLEGAL' } } : {}),
    // a non-POST is never routed: NO_INTERFACE_DEF whatever the headers (Fastify may apply the body limit first)
    ...(m !== 'POST'
      ? { headers: { name: h.name, expect: b.label === 'over the body limit' ? ['NO_INTERFACE_DEF', 'PARAM_ILLEGAL'] : 'NO_INTERFACE_DEF' } }
      : {}),
  };
}

function mutatedBody(endpoint: Endpoint, ms: Mutation[]): { label: string; body: string } {
  const req = endpoint.valid();
  ms.forEach((m) => apply(req, m));
  return { label: ms.map(describe).join('; '), body: serialize(req) };
}

/**
 * Every listed kind of hostile request for one endpoint, once each (bounded by count: a few hundred per endpoint):
 * every header variant on the valid body, every whole-body class, every other method, every listed hostile value
 * (each at another node of the request, in turn), every node deleted, every reserved key added at the top.
 */
export function listedCases(endpoint: Endpoint): HostileCase[] {
  const template = endpoint.valid();
  const all = paths(template);
  const signed = HEADER_VARIANTS[0][1];
  const valid = { label: 'valid request', body: serialize(template) };
  return [
    ...HEADER_VARIANTS.map(([, h]) => toCase(endpoint, valid, h, 'POST')),
    ...listedWholeBodies(template).map((b) => toCase(endpoint, b, signed, 'POST')),
    ...NON_POST_METHODS.map((m) => toCase(endpoint, valid, signed, m)),
    ...LISTED_HOSTILE_VALUES.map((value, i) =>
      toCase(endpoint, mutatedBody(endpoint, [{ op: 'set', path: all[i % all.length], value }]), signed, 'POST'),
    ),
    ...all.map((p) => toCase(endpoint, mutatedBody(endpoint, [{ op: 'delete', path: p }]), signed, 'POST')),
    ...RESERVED_KEYS.map((key) => toCase(endpoint, mutatedBody(endpoint, [{ op: 'add', path: [], key, value: { polluted: true } }]), signed, 'POST')),
  ];
}

/** One endpoint's stream of random hostile requests. */
export function hostileCaseArb(endpoint: Endpoint): fc.Arbitrary<HostileCase> {
  const template = endpoint.valid();
  const headers = fc.oneof(...HEADER_VARIANTS.map(([weight, v]) => ({ weight, arbitrary: fc.constant(v) })));
  const mutated = fc.array(mutationArb(template), { minLength: 1, maxLength: 4 }).map((ms) => mutatedBody(endpoint, ms));
  const body = fc.oneof({ weight: 6, arbitrary: mutated }, { weight: 1, arbitrary: wholeBodyArb(template) });
  const method = fc.oneof({ weight: 60, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom(...NON_POST_METHODS) });
  return fc.record({ body, headers, method }).map(({ body: b, headers: h, method: m }) => toCase(endpoint, b, h, m));
}

// ---------- sending ----------

/** Signs (or deliberately mis-signs) and sends one case; returns the raw answer and whether the gateway signed it. */
export async function sendCase(ctx: SendContext, c: HostileCase): Promise<Answer> {
  const path = `/ams/api/v1/${c.endpoint}`;
  const body = c.binary ? Buffer.from(c.body, 'latin1') : Buffer.from(c.body, 'utf8');
  const h = buildHeaders(ctx, c.headers.name, c.method, path, body);
  const res = await request(ctx.baseUrl + path, {
    method: c.method as Dispatcher.HttpMethod,
    body: h.body,
    headers: h.headers,
    dispatcher: ctx.dispatcher,
  });
  const raw = await res.body.text();
  const clientId = String(res.headers['client-id'] ?? '');
  const sig = parseSignatureHeader(res.headers['signature'] as string | undefined);
  const signatureValid = !!sig && verify({ path, clientId, time: String(res.headers['response-time']), body: raw }, sig.signature, ctx.gatewayKey);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), raw, body: parsed, signatureValid };
}

function buildHeaders(
  ctx: SendContext,
  variant: string,
  method: string,
  path: string,
  body: Buffer,
): { headers: Record<string, string>; body: Buffer } {
  const window = ctx.windowSeconds * 1000;
  let time = String(Date.now());
  let clientId = ctx.merchant.clientId;
  let key = ctx.merchant.key;
  let signedPath = path;
  let signedBody = body;
  let sentBody = body;
  if (variant === 'stale Request-Time (replay)') time = String(Date.now() - window - 5_000 - Math.floor(Math.random() * 86_400_000));
  if (variant === 'future Request-Time') time = new Date(Date.now() + window + 60_000).toISOString();
  if (variant === 'garbage Request-Time')
    time = ['yesterday', '2026-13-45T99:99:99Z', '-5', '1e12', 'NaN', '2026-11-26T00:00:00'][Math.floor(Math.random() * 6)];
  if (variant === "other merchant's key") key = ctx.other.key;
  if (variant === "other merchant's client id") clientId = ctx.other.clientId;
  if (variant === 'signed for another path') signedPath = path.replace('/v1/', '/v2/');
  if (variant === 'body tampered after signing') sentBody = Buffer.concat([body, Buffer.from(' ')]);
  const signature = sign({ method, path: signedPath, clientId, time, body: signedBody }, key);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': clientId,
    'request-time': time,
    signature: formatSignatureHeader(signature),
  };
  if (variant === 'content-type text/plain') headers['content-type'] = 'text/plain';
  if (variant === 'no content-type') delete headers['content-type'];
  if (variant === 'no client id') delete headers['client-id'];
  if (variant === 'unknown client id') headers['client-id'] = `SANDBOX_${randomBytes(6).toString('hex')}`;
  if (variant === 'no signature') delete headers.signature;
  if (variant === 'garbage signature') headers.signature = `algorithm=RSA256,keyVersion=1,signature=${randomBytes(40).toString('base64')}%ZZ`;
  if (variant === 'wrong algorithm') headers.signature = `algorithm=HS256,keyVersion=1,signature=${signature}`;
  if (variant === 'unknown keyVersion') headers.signature = formatSignatureHeader(signature, '99');
  if (variant === 'no Request-Time') delete headers['request-time'];
  signedBody = sentBody;
  return { headers, body: signedBody };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export { Raw };
