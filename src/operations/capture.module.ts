import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { SettlementModule } from '../settlement/settlement.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { AmountUpdateService } from './amount-update.service';
import { CaptureService } from './capture.service';
import { AuthorizationExpiryWorker } from './expiry.worker';

@Module({
  imports: [PaymentsModule, SettlementModule, MerchantsModule],
  providers: [CaptureService, AmountUpdateService, AuthorizationExpiryWorker],
  exports: [CaptureService, AmountUpdateService, AuthorizationExpiryWorker],
})
export class CaptureModule {}
