import { DataSource } from 'typeorm';

import { AuditRepository } from '../../src/audit/audit.repository';
import { AuditService } from '../../src/audit/audit.service';
import { freshDatabase, TestDatabase } from './support/test-database';

/** The hash-chained audit log: appends serialized on the head row across instances, append-only, keyset pages. */
describe('AuditRepository (db)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let audit: AuditService;

  beforeAll(async () => {
    db = await freshDatabase(8);
    ds = db.ds;
    audit = new AuditService(ds);
  });
  afterAll(() => db?.drop());

  it('appends from three instances at once make one unbroken chain: ids 1…n, each linked to the one before', async () => {
    const others = [new AuditService(await db.second()), new AuditService(await db.second())];
    const writers = [audit, ...others];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        writers[i % 3].append({
          actor: `admin:w${i % 3}`,
          action: i % 2 ? 'CAPTURE' : 'LOGIN',
          target: `gwp_${i % 5}`,
          outcome: 'SUCCESS',
          detail: { i, amount: BigInt(i * 100) },
        }),
      ),
    );
    const ids = (await ds.query(`SELECT id::int AS id FROM audit_log ORDER BY id`)).map((r: { id: number }) => r.id);
    expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await audit.verifyChain()).toMatchObject({ ok: true, checked: 30, keyed: 30 }); // every row under the HMAC key (a fresh database)
    expect(await ds.query(`SELECT last_id::int AS last_id FROM audit_chain_head`)).toEqual([{ last_id: 30 }]);
  });

  it('an append inside a transaction that rolls back leaves neither the row nor a moved head', async () => {
    const before = (await ds.query(`SELECT last_id::text AS id FROM audit_chain_head`))[0].id;
    await expect(
      ds.transaction(async (tx) => {
        await audit.append({ actor: 'admin:alice', action: 'REFUND', outcome: 'SUCCESS' }, tx);
        throw new Error('the refund failed');
      }),
    ).rejects.toThrow('the refund failed');
    expect((await ds.query(`SELECT last_id::text AS id FROM audit_chain_head`))[0].id).toBe(before);
    expect((await audit.verifyChain()).ok).toBe(true);
  });

  it('the database refuses to change, delete or truncate a row, and to move the head other than forward by one', async () => {
    await expect(ds.query(`UPDATE audit_log SET outcome = 'FAILURE' WHERE id = 1`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM audit_log WHERE id = 30`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`UPDATE audit_chain_head SET last_id = 5`)).rejects.toThrow(/only moves forward/);
    expect(await audit.verifyChain()).toMatchObject({ ok: true, checked: 30, keyed: 30 }); // every row under the HMAC key (a fresh database)
  });

  it('recent: newest first, keyset pages by beforeId without gaps or repeats, filters combined, at most 500', async () => {
    const repo = new AuditRepository(ds);
    const pages: string[][] = [];
    let beforeId: string | undefined;
    for (;;) {
      const page = await repo.recent({ limit: 7, beforeId });
      if (!page.length) break;
      pages.push(page.map((r) => r.id));
      beforeId = page.at(-1)!.id;
    }
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
    expect(pages.flat()).toEqual(Array.from({ length: 30 }, (_, i) => String(30 - i)));
    const filtered = await repo.recent({ target: 'gwp_1', action: 'CAPTURE', actor: 'admin:w0' });
    // i ≡ 1 (mod 5), odd, i ≡ 0 (mod 3): only i = 21 (its row id is wherever its append got the head lock).
    expect(filtered.map((r) => [r.target, r.action, r.actor, r.detail])).toEqual([['gwp_1', 'CAPTURE', 'admin:w0', { i: 21, amount: '2100' }]]); // bigint kept as its string, as hashed
    // The cap: 600 asked, at most 500 given.
    await ds.query(
      `INSERT INTO audit_log (id, occurred_at, actor, action, outcome, prev_hash, hash)
       SELECT g, now(), 'system:bulk', 'NOOP', 'SUCCESS', repeat('0', 64), repeat('0', 64) FROM generate_series(31, 560) g`,
    );
    expect(await repo.recent({ limit: 600 })).toHaveLength(500);
  });

  it('the verifier finds rows cut off the end (the head points past them)', async () => {
    // Rows 31… were written without the head (above): the chain no longer verifies from there on.
    const result = await audit.verifyChain();
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(30);
    expect(result.ok ? null : result.broken?.id).toBe('31');
  });
});
