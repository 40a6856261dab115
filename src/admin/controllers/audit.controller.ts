import { Controller, Get, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { AuditService } from '../../audit/audit.service';
import { AdminGuard } from '../auth/admin.guard';
import { AdminExceptionFilter } from '../http/admin-exception.filter';
import { AdminRequest, sendPage } from '../http/admin-http';
import { auditPage } from '../views/admin-pages.view';

const PAGE = 100;

@Controller('admin/audit')
@UseGuards(AdminGuard)
@UseFilters(AdminExceptionFilter)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  async page(@Req() req: AdminRequest, @Query() q: Record<string, string>, @Res() reply: FastifyReply) {
    const filters: Record<string, string> = {};
    for (const k of ['actor', 'action', 'target']) if (typeof q[k] === 'string' && q[k].trim()) filters[k] = q[k].trim().slice(0, 128);
    const before = typeof q.before === 'string' && /^\d{1,18}$/.test(q.before) ? q.before : undefined;
    const rows = await this.audit.recent({ ...filters, beforeId: before, limit: PAGE });
    const verify = q.verify === '1' ? await this.audit.verifyChain() : null;
    sendPage(reply, auditPage(req.admin!, rows, filters, verify, rows.length === PAGE ? rows[rows.length - 1].id : null));
  }
}
