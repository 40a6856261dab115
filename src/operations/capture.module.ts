import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { SettlementModule } from '../settlement/settlement.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { CaptureService } from './capture.service';
import { AuthorizationExpiryWorker } from './expiry.worker';

@Module({
  imports: [PaymentsModule, SettlementModule, MerchantsModule],
  providers: [CaptureService, AuthorizationExpiryWorker],
  exports: [CaptureService, AuthorizationExpiryWorker],
})
export class CaptureModule {}
