import { Module } from '@nestjs/common';
import { OutboxModule } from '../notifications/outbox/outbox.module';
import { PaymentsModule } from '../payments/payments.module';
import { SettlementService } from './settlement.service';

@Module({ imports: [PaymentsModule, OutboxModule], providers: [SettlementService], exports: [SettlementService] })
export class SettlementModule {}
