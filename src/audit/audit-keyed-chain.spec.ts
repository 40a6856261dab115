import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { mock } from 'jest-mock-extended';
import { DataSource, EntityManager } from 'typeorm';

import { AuditChainSource, AuditRepository, ChainHead } from './audit.repository';
import { AuditRow, AuditService } from './audit.service';
import { checkpointLine, parseCheckpoints } from './audit-checkpoint';
import { auditHash, auditMac, GENESIS_HASH } from './audit-hash';
import { AuditKey, DEV_AUDIT_KEY } from './audit-key';
import { verifyAuditChain } from './audit-verifier';

const KEY = new AuditKey(Buffer.alloc(32, 7), 'test');
const OTHER = new AuditKey(Buffer.alloc(32, 8), 'other');

/** An in-memory chain whose head carries the keyed-chain marker (`keyedFrom`), as the migration leaves it. */
function chainOf(keyedFrom: string | null, start: AuditRow[] = []) {
  const db = mock<DataSource>();
  const tx = mock<EntityManager>();
  const repo = mock<AuditRepository>();
  const stored: AuditRow[] = [...start];
  const last = stored[stored.length - 1];
  let current: ChainHead = { last_id: last?.id ?? '0', last_hash: last?.hash ?? GENESIS_HASH, keyed_from: keyedFrom };
  db.transaction.mockImplementation((async (fn: (em: EntityManager) => Promise<unknown>) => fn(tx)) as never);
  repo.lockHead.mockImplementation(async () => ({ ...current }));
  repo.insert.mockImplementation(async (_tx, record, hash) => {
    stored.push({ ...record, hash });
  });
  repo.moveHead.mockImplementation(async (_tx, lastId, lastHash) => {
    current = { ...current, last_id: lastId, last_hash: lastHash };
  });
  const chain: AuditChainSource = {
    rowsFrom: async (from, limit) => stored.filter((r) => BigInt(r.id) >= from).slice(0, limit),
    head: async () => current,
  };
  repo.chain.mockReturnValue(chain);
  return { stored, chain, service: new AuditService(db, repo, KEY) };
}

async function appendN(service: AuditService, n: number) {
  for (let i = 0; i < n; i++)
    await service.append({ actor: 'admin:alice', action: 'CAPTURE', target: `gwp_${i}`, outcome: 'SUCCESS', detail: { amount: String(i) } });
}

describe('the keyed audit chain (PCI DSS 10.3.2)', () => {
  it('rows before the migration marker keep the unkeyed SHA-256; from the marker on, HMAC-SHA256 under the audit key', async () => {
    const old = chainOf(null);
    await appendN(old.service, 3); // written before the migration: no marker
    const t = chainOf('4', old.stored);
    await appendN(t.service, 2);
    expect(t.stored.slice(0, 3).map((r) => r.hash)).toEqual(t.stored.slice(0, 3).map((r) => auditHash(r)));
    expect(t.stored.slice(3).map((r) => r.hash)).toEqual(t.stored.slice(3).map((r) => auditMac(r, KEY)));
    expect(t.stored[3].hash).not.toBe(auditHash(t.stored[3]));
    expect(await verifyAuditChain(t.chain, KEY)).toEqual({ ok: true, checked: 5, keyed: 2, checkpoints: 0 });
  });

  it('a row rewritten and the chain recomputed without the key (plain SHA-256) fails at that row; so does the wrong key', async () => {
    const t = chainOf('1');
    await appendN(t.service, 3);
    const wrongKey = await verifyAuditChain(t.chain, OTHER);
    expect(wrongKey.ok ? null : wrongKey.broken).toEqual({ id: '1', reason: 'content does not match its keyed hash (HMAC) (the row was altered)' });
    // The attacker who can write the database but not read the key file: changes row 2 and re-chains by SHA-256.
    const forged = t.stored.map((r) => ({ ...r }));
    forged[1].detail = { amount: '999' };
    for (let i = 1; i < forged.length; i++) {
      forged[i].prevHash = forged[i - 1].hash;
      forged[i].hash = auditHash(forged[i]);
    }
    const chain: AuditChainSource = {
      rowsFrom: async (from, limit) => forged.filter((r) => BigInt(r.id) >= from).slice(0, limit),
      head: async () => ({ last_id: '3', last_hash: forged[2].hash, keyed_from: '1' }),
    };
    expect(await verifyAuditChain(chain, KEY)).toMatchObject({ ok: false, broken: { id: '2' } });
    expect(await verifyAuditChain(chain, null)).toMatchObject({
      ok: false,
      broken: { id: '1', reason: 'the audit key is needed to verify the keyed part of the chain' },
    });
  });
});

describe('checkpoints outside the database (PCI DSS 10.3.3)', () => {
  it('a signed line per head; the verifier matches each against the chain', async () => {
    const t = chainOf('1');
    await appendN(t.service, 4);
    const text = [checkpointLine(KEY, new Date(), '2', t.stored[1].hash), checkpointLine(KEY, new Date(), '4', t.stored[3].hash)].join('\n');
    const cp = parseCheckpoints(text, KEY);
    expect(cp.bad).toEqual([]);
    expect(await verifyAuditChain(t.chain, KEY, cp.byId)).toEqual({ ok: true, checked: 4, keyed: 4, checkpoints: 2 });
  });

  it('a chain cut short after a checkpoint (head moved back consistently) fails: the checkpoint remembers row 4', async () => {
    const t = chainOf('1');
    await appendN(t.service, 4);
    const cp = parseCheckpoints(checkpointLine(KEY, new Date(), '4', t.stored[3].hash), KEY);
    const cut = t.stored.slice(0, 3);
    const chain: AuditChainSource = {
      rowsFrom: async (from, limit) => cut.filter((r) => BigInt(r.id) >= from).slice(0, limit),
      head: async () => ({ last_id: '3', last_hash: cut[2].hash, keyed_from: '1' }),
    };
    expect(await verifyAuditChain(chain, KEY)).toMatchObject({ ok: true }); // in itself consistent…
    expect(await verifyAuditChain(chain, KEY, cp.byId)).toMatchObject({ ok: false, broken: { id: '4' } }); // …but not with the checkpoint
  });

  it('a checkpoint whose row was rewritten fails; an altered or foreign line is reported, not trusted', async () => {
    const t = chainOf('1');
    await appendN(t.service, 2);
    const cp = parseCheckpoints(checkpointLine(KEY, new Date(), '2', 'f'.repeat(64)), KEY);
    expect(await verifyAuditChain(t.chain, KEY, cp.byId)).toMatchObject({
      ok: false,
      broken: { id: '2', reason: expect.stringContaining('checkpoint') },
    });
    const good = checkpointLine(KEY, new Date(), '2', t.stored[1].hash);
    const altered = good.replace(' 2 ', ' 1 ');
    const foreign = checkpointLine(OTHER, new Date(), '2', t.stored[1].hash);
    expect(parseCheckpoints([good, altered, foreign, 'junk'].join('\n'), KEY).bad.map((b) => b.line)).toEqual([2, 3, 4]);
  });
});

describe('AuditKey', () => {
  it('the development key is created once (0600) under the data directory; a configured file is used as is; short keys refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-key-'));
    try {
      const a = AuditKey.load(dir, {});
      const b = AuditKey.load(dir, {});
      expect(a.id).toBe(b.id);
      expect(fs.statSync(path.join(dir, DEV_AUDIT_KEY)).mode & 0o777).toBe(0o600);
      const configured = path.join(dir, 'prod.key');
      fs.writeFileSync(configured, 'ab'.repeat(32));
      expect(AuditKey.load(dir, { AUDIT_HMAC_KEY_FILE: configured }).id).not.toBe(a.id);
      fs.writeFileSync(configured, 'ab'.repeat(8));
      expect(() => AuditKey.load(dir, { AUDIT_HMAC_KEY_FILE: configured })).toThrow(/at least 32/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
