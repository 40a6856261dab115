import { Module } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config';
import { BinTable } from './bin-table';
import { loadBinTable } from './bin-table.provider';
import { CardInfoService } from './card-info.service';

@Module({
  providers: [{ provide: BinTable, useFactory: (c: GatewayConfig) => loadBinTable(c), inject: [GatewayConfig] }, CardInfoService],
  exports: [CardInfoService, BinTable],
})
export class CardInfoModule {}
