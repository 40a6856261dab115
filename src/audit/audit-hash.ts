import { createHash } from 'node:crypto';

import canonicalize from 'canonicalize';

import type { AuditKey } from './audit-key';

export const GENESIS_HASH = '0'.repeat(64);

/** What one audit row says; the hash covers all of it plus the previous row's hash. */
export interface AuditRecord {
  id: string;
  occurredAt: Date;
  actorId: string | null;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  outcome: string;
  detail: Record<string, unknown> | null;
  prevHash: string;
}

/**
 * SHA-256 over the RFC 8785 canonical JSON of the row: key order and whitespace cannot change the
 * hash, and a jsonb round trip (which reorders keys) gives back the same bytes.
 */
export function auditHash(r: AuditRecord): string {
  return createHash('sha256').update(canonicalContent(r, 1), 'utf8').digest('hex');
}

/**
 * v2, the keyed chain (10.3.2): HMAC-SHA256 under the audit key over the same canonical content (marked v2, so a
 * v1 hash can never pass for a v2 one).
 */
export function auditMac(r: AuditRecord, key: AuditKey): string {
  return key.mac(canonicalContent(r, 2));
}

/**
 * The hash a row must carry: rows from the migration marker `keyedFrom` on are keyed, the rows before it keep
 * the unkeyed v1 hash they were written with (null: a database from before the marker, all unkeyed).
 */
export function chainHash(r: AuditRecord, keyedFrom: bigint | null, key: AuditKey | null): string {
  if (keyedFrom === null || BigInt(r.id) < keyedFrom) return auditHash(r);
  if (!key) throw new Error('the audit key is needed for the keyed part of the chain');
  return auditMac(r, key);
}

function canonicalContent(r: AuditRecord, v: 1 | 2): string {
  return (
    canonicalize({
      v,
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      actorId: r.actorId,
      actor: r.actor,
      action: r.action,
      target: r.target,
      ip: r.ip,
      outcome: r.outcome,
      detail: r.detail,
      prevHash: r.prevHash,
    }) ?? ''
  );
}
