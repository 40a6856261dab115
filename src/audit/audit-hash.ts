import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

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
  const content = canonicalize({
    v: 1,
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
  });
  return createHash('sha256').update(content ?? '', 'utf8').digest('hex');
}
