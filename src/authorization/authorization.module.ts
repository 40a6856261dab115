import { Module } from '@nestjs/common';

import { AcquirerAnswersModule } from '../acquirer-answers/acquirer-answers.module';
import { OutboxModule } from '../notifications/outbox/outbox.module';
import { PaymentsModule } from '../payments/payments.module';
import { CardCollectionModule } from '../pci/card-collection/card-collection.module';
import { MitModule } from '../pci/vault/stored-credentials.module';
import { AcquirerTokenPaymentService } from './acquirer-token-payment.service';
import { AuthorizationService } from './authorization.service';
import { HostedFormService } from './hosted-form.service';
import { PayIdempotency } from './pay-idempotency';
import { PayPipeline } from './pay-pipeline';
import { TokenPaymentService } from './token-payment.service';

@Module({
  imports: [PaymentsModule, CardCollectionModule, AcquirerAnswersModule, MitModule, OutboxModule],
  providers: [AuthorizationService, PayPipeline, HostedFormService, PayIdempotency, TokenPaymentService, AcquirerTokenPaymentService],
  exports: [AuthorizationService],
})
export class AuthorizationModule {}
