import { Module } from '@nestjs/common';

import { GatewayConfig } from '../config/gateway-config';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditCheckpointer } from './audit-checkpoint';
import { AuditKey } from './audit-key';

/**
 * The hash-chained audit log; any module may import it and call `AuditService.append(...)`. The chain is keyed
 * (AuditKey, a file outside the database) and its head checkpointed to a file outside it (AuditCheckpointer).
 */
@Module({
  providers: [
    AuditService,
    AuditRepository,
    AuditCheckpointer,
    { provide: AuditKey, useFactory: (config: GatewayConfig) => AuditKey.load(config.dataDir), inject: [GatewayConfig] },
  ],
  exports: [AuditService],
})
export class AuditModule {}
