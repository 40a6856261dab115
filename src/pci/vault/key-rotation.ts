import * as os from 'node:os';

import { DataSource, EntityManager } from 'typeorm';

import { CardRepository } from './card.repository';
import { unwrapDataKey, wrapDataKey } from './crypto/envelope';
import { Keyring } from './crypto/keyring';
import { VaultKeyEventRepository } from './vault-key-event.repository';

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
  private readonly cards: CardRepository;
  private readonly events = new VaultKeyEventRepository();

  constructor(
    private readonly db: DataSource,
    private readonly keyring: Keyring,
    private readonly actor: string,
  ) {
    this.cards = new CardRepository(db);
  }

  async rotate(batchSize = DEFAULT_BATCH): Promise<{ version: number; rewrap: RewrapReport }> {
    const version = await this.locked(async (tx) => {
      if (!this.keyring.writable) {
        return refuse(
          await this.audit(tx, 'rotate-refused', null, { reason: 'read-only key source' }),
          'the key source is read-only (VAULT_KEKS): add a new version there, redeploy, then run npm run vault:rotate -- --rewrap-only',
        );
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
      const remaining = await this.cards.countUnder(tx, version);
      if (remaining > 0) {
        return refuse(
          await this.audit(tx, 'retire-refused', version, { remaining }),
          `key version ${version} still wraps ${remaining} record(s); run npm run vault:rotate -- --rewrap-only first`,
        );
      }
      if (this.keyring.active().version === version) {
        return refuse(
          await this.audit(tx, 'retire-refused', version, { reason: 'active' }),
          `key version ${version} is the active version; rotate first`,
        );
      }
      if (this.keyring.writable) this.keyring.retire(version);
      await this.audit(tx, 'retire', version, this.keyring.writable ? {} : { note: 'remove this version from VAULT_KEKS and redeploy' });
    });
  }

  /** Records still wrapped under each version, for the scripts' status line. */
  census(): Promise<Record<number, number>> {
    return this.cards.census();
  }

  private async rewrapBatch(tx: EntityManager, to: number, after: string, limit: number) {
    const rows = await this.cards.lockRewrapBatch(tx, to, after, limit);
    const result = { seen: rows.length, rewrapped: 0, failed: 0, lastId: rows.at(-1)?.id ?? after };
    const active = this.keyring.active();
    for (const row of rows) {
      try {
        const dek = unwrapDataKey(row.wrapped_dek, this.keyring.get(row.kek_version), row.id);
        const wrapped = wrapDataKey(dek, active, row.id);
        dek.fill(0);
        await this.cards.rewrapKey(tx, row.id, wrapped, active.version);
        result.rewrapped++;
      } catch {
        // A record whose key is gone or whose bytes were tampered with stays as it is; it is counted, and
        // paying with it answers a precise F. One bad record must not stop the rotation of the others.
        result.failed++;
      }
    }
    return result;
  }

  /** Under the cross-instance lock; a refusal is thrown only after its audit row has committed. */
  private async locked<T>(work: (tx: EntityManager) => Promise<T | Refusal>): Promise<T> {
    const out = await this.db.transaction(async (tx) => {
      await this.events.lockKeyActions(tx);
      return work(tx);
    });
    if (out instanceof Refusal) throw new KeyActionRefusedError(out.message);
    return out;
  }

  private audit(tx: EntityManager, action: string, keyVersion: number | null, detail: Record<string, unknown>): Promise<void> {
    return this.events.record(tx, action, keyVersion, this.actor, detail);
  }
}
