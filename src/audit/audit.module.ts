import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The hash-chained audit log; any module may import it and call `AuditService.append(...)`. */
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
