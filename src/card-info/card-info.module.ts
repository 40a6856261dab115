import { Global, Module } from '@nestjs/common';

import { BinTable } from '../card-features/bin-table';
import { GatewayConfig } from '../config/gateway-config';
import { loadBinTable } from './bin-table.provider';
import { CardInfoService } from './card-info.service';
import { ConsultService } from './consult.service';

/** Global: settlement fills funding / issuing country from the same table (injected by its class, optionally). */
@Global()
@Module({
  providers: [{ provide: BinTable, useFactory: (c: GatewayConfig) => loadBinTable(c), inject: [GatewayConfig] }, CardInfoService, ConsultService],
  exports: [CardInfoService, ConsultService, BinTable],
})
export class CardInfoModule {}
