import { Module } from '@nestjs/common';
import { SettlementModule } from '../settlement/settlement.module';
import { AntomNotifyController } from './antom-notify.controller';

/** The acquirer's edge: Antom's notifications in (verify, parse, hand to settlement, acknowledge). */
@Module({ imports: [SettlementModule], controllers: [AntomNotifyController] })
export class AcquirerApiModule {}
