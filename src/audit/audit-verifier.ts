import { auditHash, GENESIS_HASH } from './audit-hash';
import type { AuditChainSource } from './audit.repository';

/** Intact, or broken with the first broken link: the row id (or the head) and what is wrong with it. */
export type VerifyResult = { ok: true; checked: number } | { ok: false; checked: number; broken: { id: string; reason: string } };

const BATCH = 1000;

/**
 * Walks the chain from the first row: ids must follow 1, 2, 3…, each row must link to the previous
 * row's hash, and its own hash must match its content; the head must point at the last row.
 */
export async function verifyAuditChain(chain: AuditChainSource): Promise<VerifyResult> {
  let expectedId = 1n;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await chain.rowsFrom(expectedId, BATCH);
    for (const row of rows) {
      const fail = (reason: string): VerifyResult => ({ ok: false, checked, broken: { id: row.id, reason } });
      if (BigInt(row.id) !== expectedId) return { ok: false, checked, broken: { id: expectedId.toString(), reason: `row ${expectedId} is missing (next row is ${row.id})` } };
      if (row.prevHash !== prevHash) return fail(`prev_hash does not match the hash of row ${expectedId - 1n}`);
      if (auditHash(row) !== row.hash) return fail('content does not match its hash (the row was altered)');
      prevHash = row.hash;
      expectedId += 1n;
      checked += 1;
    }
    if (rows.length < BATCH) break;
  }
  const head = await chain.head();
  const lastId = (expectedId - 1n).toString();
  if (!head) return { ok: false, checked, broken: { id: 'head', reason: 'the chain head row is missing' } };
  if (head.last_id !== lastId || head.last_hash !== prevHash) {
    return { ok: false, checked, broken: { id: lastId === '0' ? '1' : String(BigInt(lastId) + 1n), reason: `the head says the chain ends at row ${head.last_id}, but it ends at row ${lastId} (rows were removed from the end)` } };
  }
  return { ok: true, checked };
}
