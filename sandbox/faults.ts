import { NotifyFault } from './notifier';
import { Body } from './sandbox-context';
import { SandboxStore } from './sandbox-store';

/*
 * Fault injection (docs/api.md, "Sandbox test cards and fault triggers"). Two ways in:
 *  - the last five digits of the amount of a pay, capture, refund or updateAmount (paymentAmount /
 *    captureAmount / refundAmount / amount `value`), so a merchant's own test suite can trigger them through the gateway;
 *  - POST /sandbox/control/faults on the sandbox's loopback port, for faults not tied to one request
 *    (e.g. the acquirer being down for the next N calls).
 */
export type TransportFault = 'slow' | 'drop' | 'http500' | 'http502' | 'http503' | 'unknown' | 'traffic' | 'forged';

interface AmountTrigger {
  fault: TransportFault;
  /** true: every request with this amount; false: only the first request with a given idempotency id. */
  always: boolean;
}

export const AMOUNT_TRIGGERS: Record<string, AmountTrigger | { notify: NotifyFault }> = {
  '90001': { fault: 'slow', always: true },
  '90002': { fault: 'drop', always: false },
  '90003': { fault: 'http500', always: false },
  '90004': { fault: 'http502', always: false },
  '90005': { fault: 'unknown', always: false },
  '90006': { fault: 'traffic', always: false },
  '90007': { notify: 'DUPLICATE' },
  '90008': { notify: 'OUT_OF_ORDER' },
  '90009': { notify: 'BAD_SIGNATURE' },
  '90010': { fault: 'forged', always: false },
};

/** Faults that answer without processing the request (nothing is written). */
export const BEFORE_PROCESSING: ReadonlySet<TransportFault> = new Set(['http500', 'http502', 'http503', 'traffic']);

const AMOUNT_FIELD: Record<string, [amount: string, requestId: string]> = {
  'payments/pay': ['paymentAmount', 'paymentRequestId'],
  'payments/capture': ['captureAmount', 'captureRequestId'],
  'payments/refund': ['refundAmount', 'refundRequestId'],
  'payments/updateAmount': ['amount', 'updateRequestId'],
};

function triggerOf(value: unknown) {
  const digits = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  return AMOUNT_TRIGGERS[digits.slice(-5)];
}

/** …90011: the issuer answers late — pay says U UNKNOWN_EXCEPTION, inquiry PENDING, then S by itself. */
export function isLateAuthorization(amountValue: unknown): boolean {
  return String(amountValue).endsWith('90011');
}

/**
 * …90012 (the pay's amount): the acquirer's cancel window for this authorization is over — a cancel
 * answers F CANCEL_WINDOW_EXCEED (capture, then refund, still work).
 */
export function isCancelWindowOver(amountValue: unknown): boolean {
  return String(amountValue).endsWith('90012');
}

export function notifyFaultFor(amountValue: unknown): NotifyFault | null {
  const t = triggerOf(amountValue);
  return t && 'notify' in t ? t.notify : null;
}

export interface ControlFault {
  fault: TransportFault;
  /** An API such as `payments/pay`, or `*` for all. */
  api: string;
  remaining: number;
}

export class FaultInjector {
  private control: ControlFault[] = [];

  constructor(private readonly store: SandboxStore) {}

  addControl(fault: TransportFault, api = '*', times = 1): void {
    this.control.push({ fault, api, remaining: Math.max(1, Math.min(times, 100_000)) });
  }

  clearControl(): void {
    this.control = [];
  }

  /** The fault to inject for this request, if any; one-shot amount triggers are consumed durably. */
  async pick(api: string, clientId: string, body: Body): Promise<TransportFault | null> {
    const ctl = this.control.find((c) => c.api === '*' || c.api === api);
    if (ctl) {
      if (--ctl.remaining <= 0) this.control = this.control.filter((c) => c !== ctl);
      return ctl.fault;
    }
    const fields = AMOUNT_FIELD[api];
    if (!fields) return null;
    const t = triggerOf((body[fields[0]] as { value?: unknown } | undefined)?.value);
    if (!t || !('fault' in t)) return null;
    if (t.always) return t.fault;
    const requestId = body[fields[1]];
    if (typeof requestId !== 'string') return null;
    const r = await this.store.pool.query(
      `INSERT INTO sandbox.fault_hit (client_id, api, request_id, kind) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING`,
      [clientId, api, requestId, t.fault],
    );
    return r.rowCount === 1 ? t.fault : null;
  }
}

export const TRANSPORT_FAULTS: readonly TransportFault[] = ['slow', 'drop', 'http500', 'http502', 'http503', 'unknown', 'traffic', 'forged'];
