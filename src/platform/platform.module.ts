import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Logger } from 'pino';

import { GatewayConfig } from '../config/gateway-config';
import { dataSourceOptions } from './database/data-source-options';
import { DatabaseProbe } from './database/database-probe';
import { HealthController } from './health/health.controller';
import { GatewayAddress } from './http/gateway-address';
import { LOGGER } from './logging/logger.tokens';
import { MetricsService } from './metrics/metrics.service';

export interface PlatformRuntime {
  config: GatewayConfig;
  databaseUrl: string;
  logger: Logger;
}

/** Database, logging, metrics and health: the outside world, each behind one small provider. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(rt: PlatformRuntime): DynamicModule {
    return {
      module: PlatformModule,
      imports: [TypeOrmModule.forRoot(dataSourceOptions(rt.databaseUrl, rt.config.DATABASE_POOL_SIZE))],
      controllers: [HealthController],
      providers: [
        { provide: GatewayConfig, useValue: rt.config },
        { provide: LOGGER, useValue: rt.logger },
        MetricsService,
        DatabaseProbe,
        GatewayAddress,
      ],
      exports: [GatewayConfig, LOGGER, MetricsService, GatewayAddress],
    };
  }
}
