import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { SettlementModule } from '../settlement/settlement.module';
import { CaptureService } from './capture.service';

@Module({ imports: [PaymentsModule, SettlementModule], providers: [CaptureService], exports: [CaptureService] })
export class CaptureModule {}
