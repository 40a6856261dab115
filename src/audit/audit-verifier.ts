import type { AuditChainSource } from './audit.repository';
import { chainHash, GENESIS_HASH } from './audit-hash';
import type { AuditKey } from './audit-key';

/**
 * Intact, or broken with the first broken link: the row id (or the head) and what is wrong with it. `keyed`: rows
 * verified under the key (from the migration marker on; the rest carry the unkeyed v1 hash); `checkpoints`: the
 * checkpoints kept outside the database the chain was found to match.
 */
export type VerifyResult = ({ ok: true; checked: number } | { ok: false; checked: number; broken: { id: string; reason: string } }) & {
  keyed?: number;
  checkpoints?: number;
};

const BATCH = 1000;

/**
 * Walks the chain from the first row: ids must follow 1, 2, 3…, each row must link to the previous
 * row's hash, and its own hash must match its content (SHA-256 before the keyed-chain marker, HMAC-SHA256
 * under the audit key from it on); the head must point at the last row. `checkpoints` (id → hash, read from
 * outside the database) must each match the row at that id: a chain rewritten from scratch, or cut short,
 * fails there even if it is consistent in itself.
 */
export async function verifyAuditChain(
  chain: AuditChainSource,
  key: AuditKey | null = null,
  checkpoints: ReadonlyMap<string, string> = new Map(),
): Promise<VerifyResult> {
  const start = await chain.head();
  const keyedFrom = start?.keyed_from ? BigInt(start.keyed_from) : null;
  let expectedId = 1n;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let keyed = 0;
  let matched = 0;
  for (;;) {
    const rows = await chain.rowsFrom(expectedId, BATCH);
    for (const row of rows) {
      const fail = (reason: string): VerifyResult => ({ ok: false, checked, keyed, broken: { id: row.id, reason } });
      if (BigInt(row.id) !== expectedId)
        return { ok: false, checked, keyed, broken: { id: expectedId.toString(), reason: `row ${expectedId} is missing (next row is ${row.id})` } };
      if (row.prevHash !== prevHash) return fail(`prev_hash does not match the hash of row ${expectedId - 1n}`);
      const isKeyed = keyedFrom !== null && expectedId >= keyedFrom;
      if (isKeyed && !key) return fail('the audit key is needed to verify the keyed part of the chain');
      if (chainHash(row, keyedFrom, key) !== row.hash)
        return fail(`content does not match its ${isKeyed ? 'keyed hash (HMAC)' : 'hash'} (the row was altered)`);
      const checkpoint = checkpoints.get(row.id);
      if (checkpoint !== undefined) {
        if (checkpoint !== row.hash) return fail('the row differs from the checkpoint kept outside the database (the chain was rewritten)');
        matched += 1;
      }
      prevHash = row.hash;
      expectedId += 1n;
      checked += 1;
      if (isKeyed) keyed += 1;
    }
    if (rows.length < BATCH) break;
  }
  const head = await chain.head();
  const lastId = (expectedId - 1n).toString();
  if (!head) return { ok: false, checked, keyed, broken: { id: 'head', reason: 'the chain head row is missing' } };
  if (head.last_id !== lastId || head.last_hash !== prevHash) {
    return {
      ok: false,
      checked,
      keyed,
      broken: {
        id: lastId === '0' ? '1' : String(BigInt(lastId) + 1n),
        reason: `the head says the chain ends at row ${head.last_id}, but it ends at row ${lastId} (rows were removed from the end)`,
      },
    };
  }
  const beyond = [...checkpoints.keys()]
    .map(BigInt)
    .filter((id) => id > expectedId - 1n)
    .sort((a, b) => (a < b ? -1 : 1))[0];
  if (beyond !== undefined) {
    return {
      ok: false,
      checked,
      keyed,
      broken: {
        id: beyond.toString(),
        reason: `a checkpoint outside the database records row ${beyond}, but the chain ends at row ${lastId} (rows were removed)`,
      },
    };
  }
  return { ok: true, checked, keyed, checkpoints: matched };
}
