import { FastifyReply } from 'fastify';
import { mock } from 'jest-mock-extended';

import { AuditService } from '../../audit/audit.service';
import { anAdminUser, anAuditRow, UUID } from '../admin.fakes';
import { AuditQueryService } from '../audit-log/audit-query.service';
import { AdminRequest } from '../http/admin-http';
import { AuditController } from './audit.controller';

function setup() {
  const audit = mock<AuditService>();
  const query = mock<AuditQueryService>();
  audit.append.mockResolvedValue(anAuditRow('99'));
  audit.verifyChain.mockResolvedValue({ ok: true, checked: 3, keyed: 3, checkpoints: 0 });
  query.page.mockResolvedValue([anAuditRow('2'), anAuditRow('1')]);
  query.count.mockResolvedValue(2);
  query.allMatching.mockImplementation(async function* () {
    yield anAuditRow('1');
  });
  const reply = mock<FastifyReply>();
  reply.status.mockReturnValue(reply);
  reply.header.mockReturnValue(reply);
  const req = {
    admin: { user: anAdminUser({ role: 'viewer' }), session: { csrfToken: 'c'.repeat(43) } },
    ip: '192.0.2.7',
    headers: {},
  } as unknown as AdminRequest;
  return { audit, query, reply, req, controller: new AuditController(audit, query) };
}

describe('AuditController: reading the audit log is audited (PCI DSS 10.2.1.3)', () => {
  it('the page: one VIEW_AUDIT entry naming the person and the filters, written after the read', async () => {
    const t = setup();
    await t.controller.page(t.req, { actor: 'bob', verify: '1' }, t.reply);
    expect(t.audit.append).toHaveBeenCalledTimes(1);
    expect(t.audit.append).toHaveBeenCalledWith(
      expect.objectContaining({
        actorId: UUID.alice,
        actor: 'admin:alice',
        action: 'VIEW_AUDIT',
        outcome: 'SUCCESS',
        detail: expect.objectContaining({ rows: 2, verified: true }),
      }),
    );
    expect(t.query.page.mock.invocationCallOrder[0]).toBeLessThan(t.audit.append.mock.invocationCallOrder[0]);
  });

  it('the CSV export: one EXPORT_AUDIT entry before the rows leave', async () => {
    const t = setup();
    await t.controller.exportCsv(t.req, {}, t.reply);
    expect(t.audit.append).toHaveBeenCalledWith(expect.objectContaining({ action: 'EXPORT_AUDIT', actor: 'admin:alice', outcome: 'SUCCESS' }));
  });
});
