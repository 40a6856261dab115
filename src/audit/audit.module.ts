import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** The hash-chained audit log; any module may import it and call `AuditService.append(...)`. */
@Module({ providers: [AuditService, AuditRepository], exports: [AuditService] })
export class AuditModule {}
