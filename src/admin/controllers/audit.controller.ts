import { Controller, Get, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';

import { AuditService } from '../../audit/audit.service';
import { parseAuditFilters } from '../audit-log/audit-filters';
import { AuditQueryService } from '../audit-log/audit-query.service';
import { AdminGuard } from '../auth/admin.guard';
import { AllowRoles, READ_ROLES } from '../auth/roles';
import { csvLine, csvTime, sendCsv } from '../export/csv';
import { AdminExceptionFilter } from '../http/admin-exception.filter';
import { AdminRequest, clientIp, sendPage, signedIn } from '../http/admin-http';
import { auditPage } from '../views/admin-pages.view';
import { describeDetail } from '../views/timeline.view';

const PAGE = 100;

/** The audit log: filtered (case-insensitive who / what / target, dates, outcome), verified, exported; every read of it audited (10.2.1.3). */
@Controller('admin/audit')
@UseGuards(AdminGuard)
@UseFilters(AdminExceptionFilter)
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly query: AuditQueryService,
  ) {}

  @Get()
  @AllowRoles(...READ_ROLES)
  async page(@Req() req: AdminRequest, @Query() q: Record<string, unknown>, @Res() reply: FastifyReply) {
    const f = parseAuditFilters(q);
    if (f.errors.length) return sendPage(reply, auditPage(signedIn(req), [], f, null, null, null), 400);
    const [rows, count] = await Promise.all([this.query.page(f, PAGE), this.query.count({ ...f, beforeId: undefined })]);
    const verify = q.verify === '1' ? await this.audit.verifyChain() : null;
    // PCI DSS 10.2.1.3: reading the audit log is itself recorded (after the read: the page shows what was there).
    const u = signedIn(req).user;
    await this.audit.append({
      actorId: u.id,
      actor: `admin:${u.username}`,
      action: 'VIEW_AUDIT',
      target: null,
      ip: clientIp(req),
      outcome: 'SUCCESS',
      detail: { filters: f.raw, rows: rows.length, ...(verify ? { verified: verify.ok } : {}) },
    });
    sendPage(reply, auditPage(signedIn(req), rows, f, verify, rows.length === PAGE ? rows[rows.length - 1].id : null, count));
  }

  /** The filtered view as CSV, streamed; the export is itself an audit entry. */
  @Get('export.csv')
  @AllowRoles(...READ_ROLES)
  async exportCsv(@Req() req: AdminRequest, @Query() q: Record<string, unknown>, @Res() reply: FastifyReply) {
    const f = parseAuditFilters(q);
    if (f.errors.length) return sendPage(reply, auditPage(signedIn(req), [], f, null, null, null), 400);
    const u = signedIn(req).user;
    await this.audit.append({
      actorId: u.id,
      actor: `admin:${u.username}`,
      action: 'EXPORT_AUDIT',
      target: null,
      ip: clientIp(req),
      outcome: 'SUCCESS',
      detail: { filters: f.raw, rows: await this.query.count(f) },
    });
    const query = this.query;
    async function* lines() {
      for await (const r of query.allMatching(f)) {
        const currency = typeof r.detail?.currency === 'string' ? r.detail.currency : null;
        yield csvLine([
          r.id,
          csvTime(r.occurredAt),
          r.actor,
          r.action,
          r.target,
          r.ip,
          r.outcome,
          r.detail ? describeDetail(r.detail, currency) : '',
          r.hash,
        ]);
      }
    }
    sendCsv(reply, 'audit-log', ['id', 'occurred_at_utc', 'actor', 'action', 'target', 'ip', 'outcome', 'detail', 'hash'], lines());
  }
}
