import type { Notification, NotifyType } from 'antom-client';

/** Which notification to wait for: every field given must match. */
export interface InboxFilter {
  type?: NotifyType;
  paymentId?: string;
  /** The merchant's own id of the pay: known before the answer (or when none came). */
  paymentRequestId?: string;
  captureRequestId?: string;
  refundRequestId?: string;
}

export type NotificationOf<T extends NotifyType | undefined> = T extends NotifyType ? Extract<Notification, { notifyType: T }> : Notification;

/** The merchant's notifications as a test reads them; the same over HTTP from another Jest process. */
export interface Inbox {
  /**
   * The oldest matching notification not taken yet, waiting up to `timeoutMs` (default 10 s) for one; each
   * delivery is taken once, so a duplicate delivery is a second `next`.
   */
  next<F extends InboxFilter>(filter: F, timeoutMs?: number): Promise<NotificationOf<F['type']>>;
  /** Every delivery received so far (taken or not), in arrival order. */
  all(): Promise<Notification[]>;
}

/** The in-process store behind the kit's notify URL. */
export class InboxStore {
  private readonly received: Array<{ n: Notification; taken: boolean }> = [];
  private waiters: Array<() => void> = [];

  add(n: Notification): void {
    this.received.push({ n, taken: false });
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  all(): Notification[] {
    return this.received.map((r) => r.n);
  }

  async next(filter: InboxFilter, timeoutMs = 10_000): Promise<Notification> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.find((r) => !r.taken && matches(r.n, filter));
      if (hit) {
        hit.taken = true;
        return hit.n;
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no ${describe(filter)} notification within ${timeoutMs} ms (received: ${this.received.map((r) => `${r.n.notifyType} ${(r.n as { paymentId?: string }).paymentId ?? ''}`.trim()).join(', ') || 'none'})`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== wake);
          resolve();
        }, left);
        const wake = () => {
          clearTimeout(t);
          resolve();
        };
        this.waiters.push(wake);
      });
    }
  }
}

export function matches(n: Notification, f: InboxFilter): boolean {
  const fields = n as unknown as Record<string, unknown>;
  return (
    (!f.type || n.notifyType === f.type) &&
    (!f.paymentId || fields.paymentId === f.paymentId) &&
    (!f.paymentRequestId || fields.paymentRequestId === f.paymentRequestId) &&
    (!f.captureRequestId || fields.captureRequestId === f.captureRequestId) &&
    (!f.refundRequestId || fields.refundRequestId === f.refundRequestId)
  );
}

function describe(f: InboxFilter): string {
  return (
    Object.entries(f)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') || 'matching'
  );
}
