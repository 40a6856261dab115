import type { AuditRecord } from './audit-hash';

/** One audit log row as read back: the record and its chain hash (its own file: the repository and the service both speak it). */
export interface AuditRow extends AuditRecord {
  hash: string;
}
