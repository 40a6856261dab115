import * as os from 'node:os';
import { DataSource, EntityManager } from 'typeorm';
import { Keyring } from './crypto/keyring';
import { unwrapDataKey, wrapDataKey } from './crypto/envelope';

/** One lock id for every key action, on every instance: rotations and retirements never interleave. */
const KEY_ACTION_LOCK = 0x7661_756c; // 'vaul'
const DEFAULT_BATCH = 500;

/** A key action the vault refused (the refusal is audited too). */
export class KeyActionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyActionRefusedError';
  }
}

class Refusal {
  constructor(readonly message: string) {}
}

function refuse(_audited: void, message: string): Refusal {
  return new Refusal(message);
}

export interface RewrapReport {
  toVersion: number;
  rewrapped: number;
  failed: number;
  batches: number;
}

/** Who did it, for the audit row: OS user, host, process and the command. Never key bytes. */
export function defaultActor(command: string): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry in some containers
  }
  return `${user}@${os.hostname()} pid ${process.pid} (${command})`.slice(0, 256);
}

/**
 * Key actions against the card table, each recorded in `vault_key_event`:
 * - rotate(): a new KEK version, active at once everywhere (running gateways notice the keyring file
 *   changed on their next call), then re-wraps every data key under it in batches while payments run;
 * - rewrap(): the batch job alone (also what an environment-keyed deployment runs after adding a version);
 * - retire(v): refuses while any record's data key is still wrapped under v.
 * A batch re-wrap locks its rows (FOR UPDATE SKIP LOCKED) and commits per batch, so readers always see a
 * record's wrapped key and version change together, and a crash loses at most one batch of work.
 */
export class KeyRotation {
  constructor(private readonly db: DataSource, private readonly keyring: Keyring, private readonly actor: string) {}

  async rotate(batchSize = DEFAULT_BATCH): Promise<{ version: number; rewrap: RewrapReport }> {
    const version = await this.locked(async (tx) => {
      if (!this.keyring.writable) {
        return refuse(await this.audit(tx, 'rotate-refused', null, { reason: 'read-only key source' }),
          'the key source is read-only (VAULT_KEKS): add a new version there, redeploy, then run npm run vault:rotate -- --rewrap-only');
      }
      const previous = this.keyring.active().version;
      const added = this.keyring.rotate();
      await this.audit(tx, 'rotate', added.version, { previousActive: previous });
      return added.version;
    });
    return { version, rewrap: await this.rewrap(batchSize) };
  }

  async rewrap(batchSize = DEFAULT_BATCH): Promise<RewrapReport> {
    const report: RewrapReport = { toVersion: this.keyring.active().version, rewrapped: 0, failed: 0, batches: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await this.db.transaction((tx) => this.rewrapBatch(tx, report.toVersion, after, batchSize));
      if (batch.seen === 0) break;
      report.batches++;
      report.rewrapped += batch.rewrapped;
      report.failed += batch.failed;
      after = batch.lastId;
    }
    await this.db.transaction((tx) => this.audit(tx, 'rewrap', report.toVersion, { ...report }));
    return report;
  }

  async retire(version: number): Promise<void> {
    await this.locked(async (tx) => {
      const remaining = await this.countUnder(tx, version);
      if (remaining > 0) {
        return refuse(await this.audit(tx, 'retire-refused', version, { remaining }),
          `key version ${version} still wraps ${remaining} record(s); run npm run vault:rotate -- --rewrap-only first`);
      }
      if (this.keyring.active().version === version) {
        return refuse(await this.audit(tx, 'retire-refused', version, { reason: 'active' }), `key version ${version} is the active version; rotate first`);
      }
      if (this.keyring.writable) this.keyring.retire(version);
      await this.audit(tx, 'retire', version, this.keyring.writable ? {} : { note: 'remove this version from VAULT_KEKS and redeploy' });
    });
  }

  /** Records still wrapped under each version, for the scripts' status line. */
  async census(): Promise<Record<number, number>> {
    const rows: { v: number; n: string }[] = await this.db.query(`SELECT kek_version AS v, count(*) AS n FROM card GROUP BY kek_version`);
    return Object.fromEntries(rows.map((r) => [r.v, Number(r.n)]));
  }

  private async rewrapBatch(tx: EntityManager, to: number, after: string, limit: number) {
    const rows: { id: string; kek_version: number; wrapped_dek: Buffer }[] = await tx.query(
      `SELECT id, kek_version, wrapped_dek FROM card WHERE kek_version <> $1 AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [to, after, limit],
    );
    const result = { seen: rows.length, rewrapped: 0, failed: 0, lastId: rows.at(-1)?.id ?? after };
    const active = this.keyring.active();
    for (const row of rows) {
      try {
        const dek = unwrapDataKey(row.wrapped_dek, this.keyring.get(row.kek_version), row.id);
        const wrapped = wrapDataKey(dek, active, row.id);
        dek.fill(0);
        await tx.query(`UPDATE card SET wrapped_dek = $1, kek_version = $2 WHERE id = $3`, [wrapped, active.version, row.id]);
        result.rewrapped++;
      } catch {
        // A record whose key is gone or whose bytes were tampered with stays as it is; it is counted, and
        // paying with it answers a precise F. One bad record must not stop the rotation of the others.
        result.failed++;
      }
    }
    return result;
  }

  private countUnder(tx: EntityManager, version: number): Promise<number> {
    return tx.query(`SELECT count(*) AS n FROM card WHERE kek_version = $1`, [version]).then((r: { n: string }[]) => Number(r[0].n));
  }

  /** Under the cross-instance lock; a refusal is thrown only after its audit row has committed. */
  private async locked<T>(work: (tx: EntityManager) => Promise<T | Refusal>): Promise<T> {
    const out = await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock($1)`, [KEY_ACTION_LOCK]);
      return work(tx);
    });
    if (out instanceof Refusal) throw new KeyActionRefusedError(out.message);
    return out;
  }

  private async audit(tx: EntityManager, action: string, keyVersion: number | null, detail: Record<string, unknown>): Promise<void> {
    await tx.query(`INSERT INTO vault_key_event (action, key_version, actor, detail) VALUES ($1, $2, $3, $4)`, [
      action, keyVersion, this.actor, JSON.stringify(detail),
    ]);
  }
}
