import { createHmac, randomUUID } from 'node:crypto';

import { ResultCode } from '../src/antom/result-codes';
import { Notifier } from './notifier';
import { SandboxClock } from './sandbox-clock';
import { SandboxStore } from './sandbox-store';

/** Everything an API handler of the sandbox needs. */
export interface SandboxContext {
  store: SandboxStore;
  notifier: Notifier;
  /** Time for expiry, deadlines and due work (sandbox-clock.ts): moved by the test kit's clock. */
  clock: SandboxClock;
  /** Keys card hashes: the sandbox never stores a plain PAN hash either. */
  hmacKey: Buffer;
  /** The sandbox's own base URL, for the browser pages it links (normalUrl). */
  publicUrl(): string;
  /** How long an authorization can be captured. */
  authValiditySeconds: number;
  /** How long a late authorization (trigger …90011) stays PENDING: 2 min × the notification time scale. */
  lateSettleSeconds: number;
  /** How long after a capture of the dispute test card its chargeback is notified (SANDBOX_DISPUTE_DELAY_SECONDS). */
  disputeDelaySeconds: number;
}

/** A business refusal: becomes HTTP 200 with this result code, signed. */
export class SandboxError extends Error {
  constructor(
    readonly code: ResultCode,
    message?: string,
  ) {
    super(message ?? code);
  }
}

export type Body = Record<string, unknown>;

export function newId(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, '')}`;
}

export function keyedHash(key: Buffer, ...parts: unknown[]): string {
  return createHmac('sha256', key).update(parts.map(String).join('|')).digest('hex');
}

export interface WireAmount {
  currency: string;
  value: string;
}

/** Amount per contract §2: value an integer string (or integer) in minor units, > 0 unless allowZero. */
export function amountOf(v: unknown, field: string): WireAmount {
  const a = v as { currency?: unknown; value?: unknown } | undefined;
  const value = typeof a?.value === 'number' && Number.isSafeInteger(a.value) ? String(a.value) : a?.value;
  if (
    !a ||
    typeof a.currency !== 'string' ||
    !/^[A-Z]{3}$/.test(a.currency) ||
    typeof value !== 'string' ||
    !/^\d{1,20}$/.test(value) ||
    BigInt(value) <= 0n
  ) {
    throw new SandboxError('PARAM_ILLEGAL', `Illegal parameter ${field}.`);
  }
  return { currency: a.currency, value: BigInt(value).toString() };
}

export function requireId(body: Body, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) throw new SandboxError('PARAM_ILLEGAL', `Illegal parameter ${field}.`);
  return v;
}

export function optionalUrl(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > 2048) return null;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? v : null;
  } catch {
    return null;
  }
}

/** paymentFactor.captureMode as Antom reads it: empty or absent means AUTOMATIC (the seed: "为空或不传"). */
export function captureModeOf(body: Body): string {
  const v = (body.paymentFactor as Body | undefined)?.captureMode;
  return v === undefined || v === null || v === '' ? 'AUTOMATIC' : String(v);
}

export function wireBool(v: unknown): boolean {
  return v === true || v === 'true';
}

/** Nulls are omitted on output (contract §2). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}
