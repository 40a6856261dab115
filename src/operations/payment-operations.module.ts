import { Module } from '@nestjs/common';

import { AcquirerAnswersModule } from '../acquirer-answers/acquirer-answers.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { PaymentsModule } from '../payments/payments.module';
import { AmountUpdateOperation } from './amount-update.operation';
import { AmountUpdateService } from './amount-update.service';
import { CancelOperation } from './cancel.operation';
import { CaptureOperation } from './capture.operation';
import { CaptureService } from './capture.service';
import { AuthorizationExpiryWorker } from './expiry.worker';
import { OperationRunner } from './operation-runner';
import { RefundOperation } from './refund.operation';

@Module({
  imports: [PaymentsModule, AcquirerAnswersModule, MerchantsModule],
  providers: [
    OperationRunner,
    CaptureOperation,
    CancelOperation,
    RefundOperation,
    AmountUpdateOperation,
    CaptureService,
    AmountUpdateService,
    AuthorizationExpiryWorker,
  ],
  exports: [CaptureService, AmountUpdateService, AuthorizationExpiryWorker],
})
export class PaymentOperationsModule {}
