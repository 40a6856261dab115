import { auditHash, AuditRecord, GENESIS_HASH } from './audit-hash';

const record: AuditRecord = {
  id: '7',
  occurredAt: new Date('2026-11-26T01:02:03.456Z'),
  actorId: null,
  actor: 'admin:alice',
  action: 'CAPTURE',
  target: 'gwp_1',
  ip: '127.0.0.1',
  outcome: 'SUCCESS',
  detail: { amount: '5000', currency: 'EUR' },
  prevHash: GENESIS_HASH,
};

describe('audit row hash', () => {
  it('does not depend on key order (jsonb reorders keys)', () => {
    expect(auditHash({ ...record, detail: { currency: 'EUR', amount: '5000' } })).toBe(auditHash(record));
  });

  it('changes with any field, the previous hash included', () => {
    const base = auditHash(record);
    for (const change of [
      { outcome: 'FAILURE' },
      { id: '8' },
      { ip: '10.0.0.1' },
      { prevHash: 'f'.repeat(64) },
      { detail: { amount: '5001', currency: 'EUR' } },
    ]) {
      expect(auditHash({ ...record, ...change })).not.toBe(base);
    }
  });
});
