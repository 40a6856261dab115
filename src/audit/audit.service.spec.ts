import { mock } from 'jest-mock-extended';
import { DataSource, EntityManager } from 'typeorm';

import { AuditChainSource, AuditRepository, ChainHead } from './audit.repository';
import { AuditRow, AuditService } from './audit.service';
import { auditHash, AuditRecord, GENESIS_HASH } from './audit-hash';

const NOW = new Date('2026-03-01T10:00:00.000Z');

/** The repository over an in-memory chain: the head moves as rows are inserted, as the SQL does. */
function setup(head: ChainHead = { last_id: '0', last_hash: GENESIS_HASH }) {
  const db = mock<DataSource>();
  const tx = mock<EntityManager>();
  const repo = mock<AuditRepository>();
  const stored: AuditRow[] = [];
  let current = { ...head };
  db.transaction.mockImplementation((async (fn: (em: EntityManager) => Promise<unknown>) => fn(tx)) as never);
  repo.lockHead.mockImplementation(async () => ({ ...current }));
  repo.insert.mockImplementation(async (_tx, record, hash) => {
    stored.push({ ...record, hash });
  });
  repo.moveHead.mockImplementation(async (_tx, lastId, lastHash) => {
    current = { last_id: lastId, last_hash: lastHash };
  });
  const chain: AuditChainSource = {
    rowsFrom: async (from, limit) => stored.filter((r) => BigInt(r.id) >= from).slice(0, limit),
    head: async () => current,
  };
  repo.chain.mockReturnValue(chain);
  return { db, tx, repo, stored, service: new AuditService(db, repo) };
}

describe('AuditService', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  describe('append', () => {
    it("the next id after the head, linked to the head's hash, hashed over its content, the head moved to it", async () => {
      const t = setup({ last_id: '41', last_hash: 'a'.repeat(64) });
      const row = await t.service.append({
        actorId: 'u-1',
        actor: 'admin:alice',
        action: 'CAPTURE',
        target: 'gwp_1',
        ip: '192.0.2.7',
        outcome: 'SUCCESS',
        detail: { amount: 5n },
      });
      const record: AuditRecord = {
        id: '42',
        occurredAt: NOW,
        actorId: 'u-1',
        actor: 'admin:alice',
        action: 'CAPTURE',
        target: 'gwp_1',
        ip: '192.0.2.7',
        outcome: 'SUCCESS',
        detail: { amount: '5' },
        prevHash: 'a'.repeat(64),
      };
      expect(row).toEqual({ ...record, hash: auditHash(record) });
      expect(t.repo.lockHead).toHaveBeenCalledWith(t.tx);
      expect(t.repo.insert).toHaveBeenCalledWith(t.tx, record, auditHash(record));
      expect(t.repo.moveHead).toHaveBeenCalledWith(t.tx, '42', auditHash(record));
    });

    it("in its own transaction, or in the caller's when given (then it commits or rolls back with the change)", async () => {
      const own = setup();
      await own.service.append({ actor: 'system:x', action: 'X', outcome: 'SUCCESS' });
      expect(own.db.transaction).toHaveBeenCalledTimes(1);
      const inCaller = setup();
      const callerTx = mock<EntityManager>();
      await inCaller.service.append({ actor: 'system:x', action: 'X', outcome: 'SUCCESS' }, callerTx);
      expect(inCaller.db.transaction).not.toHaveBeenCalled();
      expect(inCaller.repo.lockHead).toHaveBeenCalledWith(callerTx);
      expect(inCaller.repo.insert.mock.calls[0][0]).toBe(callerTx);
    });

    it('ids past 2^53 stay exact', async () => {
      const t = setup({ last_id: '9007199254740992', last_hash: GENESIS_HASH });
      expect((await t.service.append({ actor: 'a', action: 'X', outcome: 'SUCCESS' })).id).toBe('9007199254740993');
    });

    it('what was left out is null; over-long fields are cut (actor 128, action 64, target 128, ip 64)', async () => {
      const t = setup();
      const bare = await t.service.append({ actor: 'system:expiry-job', action: 'EXPIRE', outcome: 'UNKNOWN' });
      expect([bare.actorId, bare.target, bare.ip, bare.detail]).toEqual([null, null, null, null]);
      const long = await t.service.append({
        actor: 'a'.repeat(200),
        action: 'b'.repeat(100),
        target: 'c'.repeat(200),
        ip: 'd'.repeat(100),
        outcome: 'DENIED',
      });
      expect([long.actor.length, long.action.length, long.target!.length, long.ip!.length]).toEqual([128, 64, 128, 64]);
    });

    it('detail as jsonb gives it back: bigint amounts as strings, undefined members gone, nested too', async () => {
      const t = setup();
      const row = await t.service.append({
        actor: 'a',
        action: 'X',
        outcome: 'SUCCESS',
        detail: { amount: 9_007_199_254_740_993n, skip: undefined, nested: { limit: 1n, list: [2n] }, reason: 'r' },
      });
      expect(row.detail).toEqual({ amount: '9007199254740993', nested: { limit: '1', list: ['2'] }, reason: 'r' });
      expect(Object.keys(row.detail!)).not.toContain('skip');
    });

    it('successive entries form a chain that verifies; an altered row breaks it where it was altered', async () => {
      const t = setup();
      for (let i = 0; i < 5; i++) await t.service.append({ actor: 'admin:alice', action: 'LOGIN', outcome: 'SUCCESS', detail: { attempt: i } });
      expect(t.stored.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);
      expect(t.stored[1].prevHash).toBe(t.stored[0].hash);
      expect(await t.service.verifyChain()).toEqual({ ok: true, checked: 5, keyed: 0, checkpoints: 0 }); // no marker: an unkeyed chain
      t.stored[2].detail = { attempt: 99 };
      expect(await t.service.verifyChain()).toMatchObject({ ok: false, checked: 2, broken: { id: '3', reason: expect.stringMatching(/altered/) } });
    });
  });

  it("recent: the repository's newest-first read with the filter", async () => {
    const t = setup();
    t.repo.recent.mockResolvedValue([]);
    await t.service.recent({ target: 'gwp_1', limit: 20 });
    expect(t.repo.recent).toHaveBeenCalledWith({ target: 'gwp_1', limit: 20 });
    await t.service.recent();
    expect(t.repo.recent).toHaveBeenLastCalledWith({});
  });
});
