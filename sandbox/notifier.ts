import { KeyObject } from 'node:crypto';
import { rootCertificates } from 'node:tls';

import { Agent, Dispatcher, request } from 'undici';

import { NOTIFY_ACK } from '../src/antom/notify-ack';
import { formatResponseTime } from '../src/antom/request-time';
import { formatSignatureHeader, sign } from '../src/antom/signature';
import { forgeryKey } from './forgery-key';
import { SandboxClock } from './sandbox-clock';
import { Db, SandboxStore } from './sandbox-store';
import { asSdkTypes, NOTIFICATION_TYPES } from './wire-types';

/** Antom's retry schedule (contract §1): the wait before each of the 8 sends, in seconds. */
export const NOTIFY_SCHEDULE_SECONDS = [0, 120, 600, 600, 3600, 7200, 21600, 54000];
/** How late an out-of-order PAYMENT_RESULT is held back, in (scaled) seconds: after its CAPTURE_RESULT. */
const OUT_OF_ORDER_DELAY_SECONDS = 600;
const DELIVERY_TIMEOUT_MS = 10_000;
/** A claimed row is invisible to other pollers this long: longer than one delivery can take. */
const LEASE_SECONDS = 15;
const KICK_COALESCE_MS = 5;

/** NOTIFY_DISPUTE: Antom's notifyDispute, sent without a notifyType field (it has disputeNotificationType). */
export type NotifyType = 'PAYMENT_RESULT' | 'CAPTURE_RESULT' | 'REFUND_RESULT' | 'UPDATE_AMOUNT_RESULT' | 'NOTIFY_DISPUTE';
export type NotifyFault = 'DUPLICATE' | 'OUT_OF_ORDER' | 'BAD_SIGNATURE';

export interface NotificationToSend {
  clientId: string;
  notifyType: NotifyType;
  url: string | null | undefined;
  body: Record<string, unknown>;
  fault?: string | null;
  /** Not sent before this many seconds (a dispute follows its capture). */
  delaySeconds?: number;
}

export interface OutboxInsert {
  notifyType: NotifyType;
  url: string;
  body: string;
  badSignatureFirst: boolean;
  delaySeconds: number;
}

interface OutboxRow {
  id: string;
  client_id: string;
  url: string;
  body: string;
  attempts: number;
  bad_signature_first: boolean;
}

interface DeliveryResult {
  id: string;
  attempt: number;
  /** null: acknowledged. */
  error: string | null;
  /** When to send again; null when acknowledged or out of attempts. */
  retryInSeconds: number | null;
}

export interface NotifierOptions {
  /** Multiplies every wait of the schedule: 1 = Antom's real timing, 0.0005 = the whole day in ~44 s. */
  timeScale: number;
  pollMs: number;
  /** Trusted besides the public roots (the gateway's development certificate). */
  trustCaPem?: string;
  /** When a delivery is due and when it is tried again (the test kit's clock moves it); default real time. */
  clock?: SandboxClock;
}

/**
 * Antom → merchant notifications through a durable outbox: rows are written in the same transaction as
 * the state change they report, then delivered by a poller that survives restarts. Delivery counts only
 * on HTTP 200 with Antom's exact ack; anything else is retried on Antom's schedule, up to 8 sends.
 */
export class Notifier {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;
  private closed = false;
  private wakeAt = Infinity;
  private readonly dispatcher: Dispatcher | undefined;

  constructor(
    private readonly store: SandboxStore,
    private readonly key: KeyObject,
    private readonly owner: string,
    private readonly opts: NotifierOptions,
  ) {
    this.dispatcher = opts.trustCaPem ? new Agent({ connect: { ca: [...rootCertificates, opts.trustCaPem] } }) : undefined;
  }

  private now(): Date {
    return this.opts.clock?.now() ?? new Date();
  }

  /** Only final states are notified, and only when the payment (or refund) gave a URL. */
  async enqueue(db: Db, n: NotificationToSend): Promise<void> {
    await this.enqueueWith(db, [], [], n);
  }

  /**
   * Runs `writes` (data-modifying statements, each a CTE part using parameters $1…$params.length) and
   * enqueues the notification, as ONE statement: one round trip, and atomic even outside a transaction.
   */
  async enqueueWith(db: Db, writes: string[], params: unknown[], n: NotificationToSend | NotificationToSend[]): Promise<void> {
    const rows = (Array.isArray(n) ? n : [n]).flatMap((x) => this.outboxRows(x).map((r) => ({ ...r, clientId: x.clientId })));
    if (writes.length === 0 && rows.length === 0) return;
    const k = params.length;
    const ctes = writes.length > 0 ? `WITH ${writes.map((w, i) => `w${i} AS (${w})`).join(', ')} ` : '';
    const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
    await db.query(
      `${ctes}INSERT INTO sandbox.notification (owner, client_id, notify_type, url, body, bad_signature_first, next_attempt_at)
       SELECT $${k + 1}::text, x.c, x.t, x.u, x.b, x.bad, now() + make_interval(secs => x.d)
       FROM unnest($${k + 2}::text[], $${k + 3}::text[], $${k + 4}::text[], $${k + 5}::text[], $${k + 6}::bool[], $${k + 7}::float8[]) WITH ORDINALITY AS x(c, t, u, b, bad, d, i)
       ORDER BY x.i`,
      [
        ...params,
        this.owner,
        col((r) => r.clientId),
        col((r) => r.notifyType),
        col((r) => r.url),
        col((r) => r.body),
        col((r) => r.badSignatureFirst),
        col((r) => r.delaySeconds),
      ],
    );
  }

  /** The outbox rows one notification becomes, with its fault trigger applied (copies, delay, forged first send). */
  outboxRows(n: NotificationToSend): OutboxInsert[] {
    if (!n.url) return [];
    const row: OutboxInsert = {
      notifyType: n.notifyType,
      url: n.url,
      // In the JSON types of the SDK's notify model (wire-types.ts), as every answer.
      body: JSON.stringify(
        asSdkTypes(n.notifyType === 'NOTIFY_DISPUTE' ? n.body : { notifyType: n.notifyType, ...n.body }, NOTIFICATION_TYPES[n.notifyType]),
      ),
      badSignatureFirst: n.fault === 'BAD_SIGNATURE',
      delaySeconds:
        (n.delaySeconds ?? 0) +
        (n.fault === 'OUT_OF_ORDER' && n.notifyType === 'PAYMENT_RESULT' ? OUT_OF_ORDER_DELAY_SECONDS * this.opts.timeScale : 0),
    };
    return n.fault === 'DUPLICATE' ? [row, { ...row }] : [row];
  }

  get ownerId(): string {
    return this.owner;
  }

  start(): void {
    this.schedule(0);
  }

  /**
   * Called after a commit that enqueued something: the first send is due at 0 s. A few milliseconds of
   * coalescing let one claim query pick up the notifications of many concurrent pays.
   */
  kick(): void {
    if (!this.closed && this.wakeAt > Date.now() + KICK_COALESCE_MS) this.schedule(KICK_COALESCE_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.wakeAt = Infinity;
      void this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    if (this.running) {
      await this.running.catch(() => undefined);
      return this.schedule(0);
    }
    const run = this.deliverDue().finally(() => {
      this.running = null;
    });
    this.running = run;
    const busy = await run.catch(() => false);
    const next = busy ? 0 : this.opts.pollMs;
    if (this.wakeAt > Date.now() + next) this.schedule(next); // unless a kick asked for sooner
  }

  /** Returns whether a full batch was claimed (more may be due). */
  private async deliverDue(): Promise<boolean> {
    const res = await this.store.pool.query<OutboxRow>(
      `UPDATE sandbox.notification SET next_attempt_at = $3::timestamptz + make_interval(secs => $2)
       WHERE id IN (SELECT id FROM sandbox.notification WHERE owner = $1 AND status = 'PENDING' AND next_attempt_at <= $3::timestamptz
                    ORDER BY next_attempt_at, id LIMIT 50 FOR UPDATE SKIP LOCKED)
       RETURNING id, client_id, url, body, attempts, bad_signature_first`,
      [this.owner, LEASE_SECONDS, this.now()],
    );
    const rows = res.rows.sort((a, b) => Number(a.id) - Number(b.id));
    const results = await Promise.all(rows.map((row) => this.deliverOne(row)));
    if (results.length > 0) await this.record(results);
    return rows.length === 50;
  }

  /** One send; the retry it schedules (Antom's schedule) or null when it gave up, recorded by the caller. */
  private async deliverOne(row: OutboxRow): Promise<DeliveryResult> {
    const attempt = row.attempts + 1;
    const error = await this.post(row, attempt === 1 && row.bad_signature_first);
    const wait = NOTIFY_SCHEDULE_SECONDS[attempt];
    return { id: row.id, attempt, error, retryInSeconds: error === null || wait === undefined ? null : wait * this.opts.timeScale };
  }

  /** A batch's outcomes in one statement: delivered, retried later, or given up after the 8th send. */
  private async record(results: DeliveryResult[]): Promise<void> {
    await this.store.pool.query(
      `UPDATE sandbox.notification n SET attempts = r.attempt, last_error = r.error,
         status = CASE WHEN r.error IS NULL THEN 'DELIVERED' WHEN r.retry IS NULL THEN 'GAVE_UP' ELSE n.status END,
         delivered_at = CASE WHEN r.error IS NULL THEN now() ELSE n.delivered_at END,
         next_attempt_at = CASE WHEN r.retry IS NOT NULL THEN $5::timestamptz + make_interval(secs => r.retry) ELSE n.next_attempt_at END
       FROM unnest($1::bigint[], $2::int[], $3::text[], $4::float8[]) AS r(id, attempt, error, retry)
       WHERE n.id = r.id`,
      [results.map((r) => r.id), results.map((r) => r.attempt), results.map((r) => r.error), results.map((r) => r.retryInSeconds), this.now()],
    );
  }

  /** null when acknowledged, else why not. */
  private async post(row: OutboxRow, forge: boolean): Promise<string | null> {
    try {
      const url = new URL(row.url);
      const time = formatResponseTime();
      const signature = sign({ path: url.pathname + url.search, clientId: row.client_id, time, body: row.body }, forge ? forgeryKey() : this.key);
      const res = await request(url, {
        method: 'POST',
        body: row.body,
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          'client-id': row.client_id,
          'request-time': time,
          signature: formatSignatureHeader(signature),
        },
        headersTimeout: DELIVERY_TIMEOUT_MS,
        bodyTimeout: DELIVERY_TIMEOUT_MS,
        dispatcher: this.dispatcher,
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) return `HTTP ${res.statusCode}`;
      return isAck(text) ? null : 'not the notification ack';
    } catch (e) {
      return (e instanceof Error ? `${e.name}: ${e.message}` : 'network error').slice(0, 200);
    }
  }
}

/** The ack's `result` must be exactly Antom's (key order and whitespace aside). */
function isAck(text: string): boolean {
  try {
    const r = (JSON.parse(text) as { result?: Record<string, unknown> }).result;
    const want = NOTIFY_ACK.result;
    return (
      !!r &&
      Object.keys(r).length === 3 &&
      r.resultCode === want.resultCode &&
      r.resultStatus === want.resultStatus &&
      r.resultMessage === want.resultMessage
    );
  } catch {
    return false;
  }
}
