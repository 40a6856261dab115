import 'reflect-metadata';

import * as path from 'node:path';

import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, validateSync } from 'class-validator';

import { shippedFile } from './package-root';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1';

/**
 * What merchant notify URLs may lead to: `public` addresses only; `loopback` too (development); `private` networks
 * too. Link-local and cloud metadata addresses are in none of them (notify-target-guard.ts).
 */
export type NotifyReach = 'public' | 'loopback' | 'private';

/** The largest BODY_LIMIT_BYTES accepted: no request body, hence no string in one, is longer (test/architecture/bounded-work.spec.ts). */
export const BODY_LIMIT_BYTES_MAX = 10 * 1024 * 1024;

/** The keys declared `@Sensitive()`: secrets that no log line, banner or error may show. */
export const SENSITIVE_KEYS = new Set<string>();

/** Declares a key a secret, beside the key: `toJSON` (and so every log of the config) shows only that it is set. */
function Sensitive(): PropertyDecorator {
  return (_target, key) => {
    SENSITIVE_KEYS.add(String(key));
  };
}

/**
 * All configuration, read once from the environment and validated. Every field has a development
 * default so `npm start` works with nothing set; a bad value stops start-up with one line naming it.
 */
export class GatewayConfig {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8080;

  @IsString()
  HOST = '127.0.0.1';

  /**
   * A separate listener for the admin console (`/admin…`) and `/metrics`. Set: they are served only there
   * (404 on PORT), and that listener serves nothing else but `/health`. Unset: both stay on PORT.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  ADMIN_PORT?: number = undefined;

  /** Interface of the ADMIN_PORT listener; unset: HOST. */
  @IsOptional()
  @IsString()
  ADMIN_HOST?: string = undefined;

  /**
   * Native TLS on PORT and ADMIN_PORT: the server certificate (PEM, chain after the leaf) and its private key
   * (PEM). Paths, not secrets themselves: the key file stays on disk, read once at start-up (0600 advised).
   */
  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string = undefined;

  @IsOptional()
  @IsString()
  TLS_KEY_FILE?: string = undefined;

  /**
   * Development only: without TLS_CERT_FILE, a self-signed certificate for localhost / 127.0.0.1 / ::1 is
   * made on first start under GATEWAY_DATA_DIR/tls (key 0600) and reused by later starts.
   */
  @Transform(toBool)
  @IsBoolean()
  TLS_DEV_CERT = false;

  /**
   * The operator states that TLS ends in front of the gateway (load balancer, ingress, sidecar): only then
   * may HOST / ADMIN_HOST be a non-loopback address without native TLS (PCI DSS 4.2.1).
   */
  @Transform(toBool)
  @IsBoolean()
  TLS_TERMINATED_UPSTREAM = false;

  /**
   * Bearer token `/metrics` requires (`Authorization: Bearer <token>`). Unset: `/metrics` is open on a loopback
   * listener and not served at all (404) on one other machines reach (metrics-access.ts).
   */
  @Sensitive()
  @IsOptional()
  @IsString()
  @Matches(/^\S{16,}$/, { message: 'must be at least 16 characters without spaces' })
  METRICS_TOKEN?: string = undefined;

  /**
   * Fastify's `trustProxy`: whose X-Forwarded-For to believe for the client IP (admin audit, sessions).
   * `false` (the socket address), `true` (any proxy), a hop count, or proxy addresses / CIDRs, comma-separated.
   */
  @Matches(/^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
    message: 'must be true, false, a hop count or proxy addresses / CIDRs, comma-separated',
  })
  TRUST_PROXY = 'false';

  @IsString()
  GATEWAY_DATA_DIR = './.data';

  /** External PostgreSQL; when absent an embedded PostgreSQL is started under GATEWAY_DATA_DIR/pg. */
  @Sensitive()
  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  /**
   * PCI DSS 7.2.5 / 10.3.2: the schema owner's URL, used only to run migrations at start-up; DATABASE_URL is then
   * an application role that cannot alter the tables or drop the audit log's append-only triggers
   * (docs/security.md, "Database roles"). Unset: migrations run over DATABASE_URL (embedded and development).
   */
  @Sensitive()
  @IsOptional()
  @IsString()
  MIGRATION_DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  /** Real Antom (or any Antom-compatible URL). When absent the bundled sandbox is started and used. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  ANTOM_BASE_URL?: string;

  @IsOptional()
  @IsString()
  ANTOM_CLIENT_ID?: string;

  @Sensitive()
  @IsOptional()
  @IsString()
  ANTOM_PRIVATE_KEY?: string;

  @IsOptional()
  @IsString()
  ANTOM_PUBLIC_KEY?: string;

  /** The gateway's own response/notification signing key (PKCS#8). Generated under GATEWAY_DATA_DIR when absent. */
  @Sensitive()
  @IsOptional()
  @IsString()
  GATEWAY_PRIVATE_KEY?: string;

  /**
   * The gateway signing key as a PEM file (an operator's secret mount), instead of GATEWAY_PRIVATE_KEY. With a
   * remote acquirer one of the two is required: the key generated under GATEWAY_DATA_DIR is development material.
   */
  @IsOptional()
  @IsString()
  GATEWAY_PRIVATE_KEY_FILE?: string = undefined;

  /**
   * A read-only vault keyring file (JSON: each KEK's version, status, createdAt and key; the fingerprint key),
   * instead of VAULT_KEKS / VAULT_FINGERPRINT_KEY: made at the key ceremony (compliance/key-management.md).
   */
  @IsOptional()
  @IsString()
  VAULT_KEYRING_FILE?: string = undefined;

  /** Public base URL of this gateway, used for the notify URL sent upstream. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  GATEWAY_PUBLIC_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86400)
  REQUEST_TIME_WINDOW_SECONDS = 300;

  /** Replay window for the acquirer's notifications (/antom/notify); unset: REQUEST_TIME_WINDOW_SECONDS. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86400)
  NOTIFY_REQUEST_TIME_WINDOW_SECONDS?: number;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  UPSTREAM_TIMEOUT_MS = 15000;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(BODY_LIMIT_BYTES_MAX)
  BODY_LIMIT_BYTES = 256 * 1024;

  /** Longest a client may take to send one whole request (headers: half of it); slower ones are cut with 408. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600000)
  REQUEST_TIMEOUT_MS = 30000;

  /** Merchant API requests per second per merchant, whole deployment; 0 = no limit. Over it: U REQUEST_TRAFFIC_EXCEED_LIMIT. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  MERCHANT_RATE_LIMIT_PER_SECOND = 2000;

  /**
   * Per-client-IP limits on the routes anyone can call without a merchant signature, each counted over
   * IP_RATE_LIMIT_WINDOW_SECONDS per instance (in memory); 0 = no limit. The client IP is TRUST_PROXY's. Each
   * value is for the instance: with GATEWAY_WORKERS > 1 every worker counts its own share, the limit divided by
   * the worker count and rounded up (cluster.ts), so the workers together allow about the configured number.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  IP_RATE_LIMIT_WINDOW_SECONDS = 60;

  /** `/antom/notify` requests per IP per window (Antom sends from few addresses: far above its peak rate; it bounds what unsigned junk can make the gateway do). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  IP_RATE_LIMIT_NOTIFY = 60_000;

  /** Admin sign-in requests per IP per window: `/admin/login` and its TOTP step, pages and submissions together. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  IP_RATE_LIMIT_ADMIN_LOGIN = 60;

  /** Hosted card page requests per IP per window (`/collect/…`: page, its assets, card submissions). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  IP_RATE_LIMIT_COLLECT = 300;

  /**
   * Merchant API requests per IP per window that fail authentication (no valid merchant signature: missing or
   * unknown Client-Id, a signature that does not verify, an unknown API). Once an address has spent it, every
   * merchant API request from it is refused before its signature is checked, with no RSA work (HTTP 429, unsigned
   * Antom JSON U REQUEST_TRAFFIC_EXCEED_LIMIT), until the window ends. Signed requests never spend it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  IP_RATE_LIMIT_MERCHANT_API = 600;

  /**
   * Node processes serving this instance's port (node:cluster). 1: one process, as before. More: a primary
   * starts the database and the sandbox, then forks this many gateway workers that share the port; each is
   * an instance in every other respect (its own pools, jobs coordinated through PostgreSQL).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  GATEWAY_WORKERS = 1;

  /** Gateway instances behind the load balancer: each enforces MERCHANT_RATE_LIMIT_PER_SECOND / this, in memory. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  GATEWAY_INSTANCE_COUNT = 1;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Optional file that receives the JSON logs as well as stdout (the test suite scans it for card data). */
  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  @Transform(toBool)
  @IsBoolean()
  PRINT_BANNER = true;

  /**
   * Test kit only (antom-test-kit sets it): the kit's clock may move the gateway's time
   * (src/platform/clock.ts) and it may reconcile open payments on demand. Refused unless the acquirer is the
   * bundled sandbox: a production gateway never runs on a moved clock.
   */
  @Transform(toBool)
  @IsBoolean()
  TEST_KIT_CONTROLS = false;

  /** Background workers (notification delivery, reconciliation, expiry). Off only for special tools. */
  @Transform(toBool)
  @IsBoolean()
  WORKERS_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60000)
  WORKER_POLL_MS = 1000;

  /** Multiplies Antom's notification retry schedule (1 = real time; tests use e.g. 0.0005). */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  NOTIFY_TIME_SCALE = 1;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  NOTIFY_TIMEOUT_MS = 10000;

  /**
   * Which addresses merchant notify URLs may lead to besides public ones (SSRF guard, at registration and at
   * delivery on the address connected to): `deny` none; `auto` loopback when the acquirer is the bundled sandbox
   * or anything else on loopback (a development setup: tests, the bench, `npm run sandbox` + instances), none with
   * a remote acquirer; `allow` loopback and private networks. Link-local and cloud metadata addresses
   * (169.254.169.254, fe80::/10, 100.100.100.200, fd00:ec2::254, …) never, whatever this says (notify-target-guard.ts).
   */
  @IsIn(['auto', 'allow', 'deny'])
  NOTIFY_PRIVATE_HOSTS: 'auto' | 'allow' | 'deny' = 'auto';

  /** A new pay's first reconciliation (if this process dies before the answer is stored, it is inquired then). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  RECONCILE_FIRST_DELAY_SECONDS = 60;

  /** A notification claimed by a worker that crashed before recording the attempt is retried after this lease. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  NOTIFY_LEASE_SECONDS = 60;

  /** How long after its last attempt an unsettled payment (UNKNOWN, pending 3DS) is inquired again. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  RECONCILE_INTERVAL_SECONDS = 60;

  /**
   * The retry window: how long after a pay, capture or refund was made that the merchant's retry with the
   * same request id may still send it to the acquirer when the acquirer never received it (its answer was
   * U: Antom's own advice is to retry with the same id). Past it, reconciliation closes such an operation
   * F PROCESS_FAIL ("never reached the acquirer"); never before the gateway's own call could still arrive
   * (3 × UPSTREAM_TIMEOUT_MS + 5 s after the last send), whatever this says.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  RETRY_WINDOW_SECONDS = 300;

  /** A pending buyer action (3DS, hosted page) older than this is abandoned (cancelled upstream). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 86400)
  PENDING_ACTION_TIMEOUT_SECONDS = 3600;

  /** On SIGTERM/SIGINT, how long requests in flight may take to finish before their connections are cut. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(120000)
  SHUTDOWN_GRACE_MS = 5000;

  /** How long before authExpiryTime a merchant's CAPTURE or VOID expiry policy acts. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 86400)
  AUTH_EXPIRY_LEAD_SECONDS = 3600;

  /**
   * The BIN table getCardInfo answers from (docs/api.md "Card info"): a CSV file, read at start. Default: the sample
   * table the package ships (data/bin-table.csv beside its package.json, wherever it is installed); a relative
   * path set here resolves against the working directory.
   */
  @IsString()
  @Matches(/\S/)
  BIN_TABLE_FILE = shippedFile('data/bin-table.csv');

  /** TCP/TLS connect timeout towards Antom (or the sandbox). UPSTREAM_TIMEOUT_MS bounds the wait for the answer. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  UPSTREAM_CONNECT_TIMEOUT_MS = 5000;

  /** Resends of the same request (same body, same request id) after no answer; Antom's idempotency makes them safe. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(5)
  UPSTREAM_RETRIES = 2;

  /** First wait before a resend; doubled each time, with jitter. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(30000)
  UPSTREAM_RETRY_BACKOFF_MS = 200;

  /** Whole budget of one upstream call, resends included: no attempt starts (or runs) past it. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(300000)
  UPSTREAM_TOTAL_BUDGET_MS = 40000;

  /** Circuit breaker: opens when at least this many calls in 10 s, half of them without answer... */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  UPSTREAM_BREAKER_MIN_CALLS = 10;

  /** ...and tries one call again (half-open) after this long. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  UPSTREAM_BREAKER_RESET_MS = 10000;

  /** Vault: lifetime of a one-time card token (POST /v1/cards without consent, the hosted page). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 86400)
  VAULT_TOKEN_TTL_SECONDS = 900;

  /** Vault: the longest a CVV ciphertext may live if the authorization never completes (3DS in flight, a crash). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  VAULT_CVV_TTL_SECONDS = 900;

  /** Hosted card-collection page: how long a merchant-created session accepts a card. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  VAULT_COLLECT_SESSION_TTL_SECONDS = 1800;

  /**
   * Admin console four-eyes threshold in minor units: a capture or refund above it needs a second
   * operator's approval. One number for every currency ("100000") or per currency with an optional
   * fallback ("EUR:50000,JPY:500000,*:100000").
   */
  @Matches(/^(\d{1,18}|([A-Z]{3}|\*):\d{1,18}(,([A-Z]{3}|\*):\d{1,18})*)$/, { message: 'must be "<minor units>" or "EUR:50000,*:100000"' })
  ADMIN_FOUR_EYES_THRESHOLD_MINOR = '100000';

  /**
   * Admin console four-eyes threshold per person per rolling 24 hours, same format: a capture (or refund)
   * that would take what one person (with the accounts they created or reset) moved without approval in
   * that currency over the last 24 hours above it needs a second person's approval.
   */
  @Matches(/^(\d{1,18}|([A-Z]{3}|\*):\d{1,18}(,([A-Z]{3}|\*):\d{1,18})*)$/, { message: 'must be "<minor units>" or "EUR:500000,*:1000000"' })
  ADMIN_FOUR_EYES_DAILY_THRESHOLD_MINOR = '1000000';

  /** Admin session cookie `Secure` flag: auto = Secure unless the gateway is served on plain http on loopback. */
  @IsIn(['auto', 'true', 'false'])
  ADMIN_COOKIE_SECURE = 'auto';

  /**
   * Admin console second factor (PCI DSS 8.4.2): `auto` = required unless the gateway listens on loopback
   * (`HOST`); when required, a person without TOTP is sent to enrolment after the password and can do
   * nothing else until enrolled, and cannot turn it off.
   */
  @IsIn(['auto', 'true', 'false'])
  ADMIN_REQUIRE_MFA = 'auto';

  get dataDir(): string {
    return path.resolve(this.GATEWAY_DATA_DIR);
  }

  /** NOTIFY_PRIVATE_HOSTS as the address classes a notify URL may reach besides public ones (see there). */
  get notifyReach(): NotifyReach {
    if (this.NOTIFY_PRIVATE_HOSTS === 'allow') return 'private';
    if (this.NOTIFY_PRIVATE_HOSTS === 'deny') return 'public';
    const development = isLoopbackAcquirer(this.ANTOM_BASE_URL);
    return development ? 'loopback' : 'public';
  }

  /** TRUST_PROXY as Fastify's option. */
  get trustProxy(): boolean | number | string {
    if (this.TRUST_PROXY === 'true' || this.TRUST_PROXY === 'false') return this.TRUST_PROXY === 'true';
    if (/^\d+$/.test(this.TRUST_PROXY)) return Number(this.TRUST_PROXY);
    return this.TRUST_PROXY.split(',')
      .map((x) => x.trim())
      .join(',');
  }

  get usesSandbox(): boolean {
    return !this.ANTOM_BASE_URL;
  }

  /**
   * ANTOM_BASE_URL names another machine: production, where development key material is refused
   * (requireProductionKeySources). A loopback acquirer (a local sandbox, the test suites) is development.
   */
  get remoteAcquirer(): boolean {
    const url = this.ANTOM_BASE_URL;
    return url !== undefined && url !== '' && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  }

  /** The real acquirer's settings (ANTOM_BASE_URL set: validation requires the other three with it), or null for the bundled sandbox. */
  get acquirer(): { baseUrl: string; clientId: string; privateKeyPem: string; publicKeyPem: string } | null {
    const { ANTOM_BASE_URL: baseUrl, ANTOM_CLIENT_ID: clientId, ANTOM_PRIVATE_KEY: privateKeyPem, ANTOM_PUBLIC_KEY: publicKeyPem } = this;
    if (!baseUrl) return null;
    if (!clientId || !privateKeyPem || !publicKeyPem)
      throw new ConfigError('Invalid configuration: ANTOM_CLIENT_ID, ANTOM_PRIVATE_KEY and ANTOM_PUBLIC_KEY are required when ANTOM_BASE_URL is set');
    return { baseUrl, clientId, privateKeyPem, publicKeyPem };
  }

  /** Whether PORT and ADMIN_PORT serve TLS themselves (certificate files or the development certificate). */
  get tlsEnabled(): boolean {
    return Boolean(this.TLS_CERT_FILE) || this.TLS_DEV_CERT;
  }

  /** The interface the admin console listens on: ADMIN_HOST (else HOST) with ADMIN_PORT, HOST without it. */
  get consoleHost(): string {
    return this.ADMIN_PORT === undefined ? this.HOST : (this.ADMIN_HOST ?? this.HOST);
  }

  /** As configured (HOST:PORT when GATEWAY_PUBLIC_URL is unset). With PORT=0 read GatewayAddress, which knows the bound port. */
  get publicUrl(): string {
    const host = this.HOST.includes(':') && !this.HOST.startsWith('[') ? `[${this.HOST}]` : this.HOST;
    return this.GATEWAY_PUBLIC_URL ?? `${this.tlsEnabled ? 'https' : 'http'}://${host}:${this.PORT}`;
  }

  /** Secrets never reach a log line through the config object. */
  // Record: every setting by its own name (the class's fields, whatever they are), secrets redacted.
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...(this as object) };
    for (const key of SENSITIVE_KEYS) out[key] = out[key] ? '[REDACTED]' : undefined;
    return out;
  }
}

export class ConfigError extends Error {}

const KNOWN_KEYS = Object.keys(new GatewayConfig());

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<string, unknown>> = {}): GatewayConfig {
  const raw: Record<string, unknown> = {};
  for (const key of [
    ...KNOWN_KEYS,
    'DATABASE_URL',
    'MIGRATION_DATABASE_URL',
    'ANTOM_BASE_URL',
    'ANTOM_CLIENT_ID',
    'ANTOM_PRIVATE_KEY',
    'ANTOM_PUBLIC_KEY',
    'GATEWAY_PRIVATE_KEY',
    'GATEWAY_PUBLIC_URL',
    'LOG_FILE',
  ]) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  Object.assign(raw, overrides);
  const config = plainToInstance(GatewayConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const e = errors[0];
    // What the value is before its range: PORT=abc is "not an integer", not "greater than 65535".
    const constraints = e.constraints ?? {};
    const key = ['isInt', 'isNumber', 'isBoolean', 'isIn', 'isString', 'isUrl'].find((k) => k in constraints) ?? Object.keys(constraints)[0];
    const said = key ? constraints[key].replace(new RegExp(`^${e.property}\\s+`), '') : 'is invalid';
    throw new ConfigError(`Invalid configuration: ${e.property} ${said}`);
  }
  requireAllOrNone(config);
  if (config.TEST_KIT_CONTROLS && !config.usesSandbox)
    throw new ConfigError("Invalid configuration: TEST_KIT_CONTROLS=true (the test kit's clock and controls) is refused with ANTOM_BASE_URL set");
  requireTlsOffLoopback(config);
  requireMfaOffLoopback(config);
  return config;
}

/**
 * PCI DSS 8.4.2: a console reachable from other machines requires a second factor. `auto` turns it on there; an
 * explicit `false` stops start-up rather than being quietly overridden (the operator asked for something unsafe).
 */
function requireMfaOffLoopback(c: GatewayConfig): void {
  if (c.ADMIN_REQUIRE_MFA === 'false' && !isLoopbackHost(c.consoleHost)) {
    const key = c.ADMIN_PORT === undefined || c.ADMIN_HOST === undefined ? 'HOST' : 'ADMIN_HOST';
    throw new ConfigError(
      `Invalid configuration: ADMIN_REQUIRE_MFA=false while the admin console listens on ${key}=${c.consoleHost}, reachable from other machines: a second factor is required there (PCI DSS 8.4.2)`,
    );
  }
}

function requireAllOrNone(c: GatewayConfig): void {
  if (!c.ANTOM_BASE_URL) return;
  for (const key of ['ANTOM_CLIENT_ID', 'ANTOM_PRIVATE_KEY', 'ANTOM_PUBLIC_KEY'] as const) {
    if (!c[key]) throw new ConfigError(`Invalid configuration: ${key} is required when ANTOM_BASE_URL is set`);
  }
  const { protocol, hostname } = new URL(c.ANTOM_BASE_URL);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
  if (protocol !== 'https:' && !loopback) {
    throw new ConfigError('Invalid configuration: ANTOM_BASE_URL must use https:// (card data never travels in clear text)');
  }
  // A remote acquirer cannot reach a loopback notify URL: 3DS, hosted-page and U outcomes would then
  // arrive only by reconciliation, minutes late, and nobody would notice why.
  if (!loopback && !isReachableFrom(c.GATEWAY_PUBLIC_URL)) {
    throw new ConfigError(
      'Invalid configuration: GATEWAY_PUBLIC_URL must be the https:// address Antom reaches this gateway at (its notifications go to <GATEWAY_PUBLIC_URL>/antom/notify)',
    );
  }
}

/**
 * PCI DSS 3.6.1 / 3.6.1.2: with a remote acquirer (ANTOM_BASE_URL on another machine) the gateway is in
 * production, and development key material is refused: the vault KEKs and fingerprint key, and the gateway
 * signing key, must come from configured sources (environment, a configured file, an HSM/KMS adapter), not
 * the keyring file or key generated under GATEWAY_DATA_DIR; the self-signed TLS certificate and the embedded
 * PostgreSQL are refused too. Called at start-up (main, startEverything), not by every CLI that loads the
 * configuration: `npm run merchant` needs no vault key. `env` is where the vault variables are read.
 */
export function requireProductionKeySources(c: GatewayConfig, env: Record<string, unknown>): void {
  if (!c.remoteAcquirer) return;
  const set = (key: string) => typeof env[key] === 'string' && (env[key] as string).trim() !== '';
  const fail = (what: string) => {
    throw new ConfigError(
      `Invalid configuration: ${what} with a remote acquirer (ANTOM_BASE_URL=${c.ANTOM_BASE_URL}): development key material is refused in production (PCI DSS 3.6.1)`,
    );
  };
  if (!c.VAULT_KEYRING_FILE) {
    if (!set('VAULT_KEKS') || !set('VAULT_FINGERPRINT_KEY'))
      fail('VAULT_KEKS and VAULT_FINGERPRINT_KEY (or VAULT_KEYRING_FILE) are required, not the file keyring under GATEWAY_DATA_DIR,');
    if (!set('VAULT_KEKS_CREATED')) fail("VAULT_KEKS_CREATED (each version's creation date, e.g. 1:2026-01-05) is required for the key inventory");
  }
  if (!c.GATEWAY_PRIVATE_KEY && !c.GATEWAY_PRIVATE_KEY_FILE)
    fail('GATEWAY_PRIVATE_KEY or GATEWAY_PRIVATE_KEY_FILE is required, not a signing key generated under GATEWAY_DATA_DIR,');
  if (c.GATEWAY_PRIVATE_KEY && c.GATEWAY_PRIVATE_KEY_FILE)
    throw new ConfigError('Invalid configuration: GATEWAY_PRIVATE_KEY and GATEWAY_PRIVATE_KEY_FILE are both set: choose one');
  if (c.TLS_DEV_CERT)
    fail(
      'TLS_DEV_CERT=true (a self-signed development certificate) is refused; set TLS_CERT_FILE and TLS_KEY_FILE, or TLS_TERMINATED_UPSTREAM=true,',
    );
  if (!c.DATABASE_URL) fail('DATABASE_URL is required (the embedded PostgreSQL under GATEWAY_DATA_DIR is for development)');
}

/** The listener is reachable only from this machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * PCI DSS 4.2.1: card data crosses the merchant link only inside TLS. A listener other machines can reach
 * serves TLS itself, or the operator states that TLS ends in front of it; anything else stops start-up.
 */
function requireTlsOffLoopback(c: GatewayConfig): void {
  if (Boolean(c.TLS_CERT_FILE) !== Boolean(c.TLS_KEY_FILE)) {
    throw new ConfigError(
      `Invalid configuration: ${c.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'} is required when ${c.TLS_CERT_FILE ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE'} is set`,
    );
  }
  if (c.TLS_CERT_FILE && c.TLS_DEV_CERT) {
    throw new ConfigError('Invalid configuration: TLS_DEV_CERT=true and TLS_CERT_FILE are both set: choose one certificate');
  }
  if (c.tlsEnabled || c.TLS_TERMINATED_UPSTREAM) return;
  for (const [key, host] of [
    ['HOST', c.HOST],
    ['ADMIN_HOST', c.ADMIN_PORT === undefined ? undefined : c.ADMIN_HOST],
  ] as const) {
    if (host !== undefined && !isLoopbackHost(host)) {
      throw new ConfigError(
        `Invalid configuration: ${key}=${host} is reachable from other machines but TLS is off: set TLS_CERT_FILE and TLS_KEY_FILE, or TLS_TERMINATED_UPSTREAM=true if TLS ends in front of the gateway (PCI DSS 4.2.1)`,
      );
    }
  }
}

function isReachableFrom(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' && !['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'].includes(hostname);
  } catch {
    return false;
  }
}

/** The bundled sandbox (no ANTOM_BASE_URL) or an acquirer on this machine's loopback: a development set-up. */
export function isLoopbackAcquirer(antomBaseUrl: string | undefined): boolean {
  return !antomBaseUrl || ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(antomBaseUrl).hostname);
}
