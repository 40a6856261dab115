import { Module } from '@nestjs/common';
import { CardCollectionModule } from '../pci/card-collection/card-collection.module';
import { PaymentsModule } from '../payments/payments.module';
import { AcquirerAnswersModule } from '../acquirer-answers/acquirer-answers.module';
import { MitModule } from '../pci/vault/stored-credentials.module';
import { OutboxModule } from '../notifications/outbox/outbox.module';
import { HostedFormService } from './hosted-form.service';
import { PayPipeline } from './pay-pipeline';
import { PayIdempotency } from './pay-idempotency';
import { AuthorizationService } from './authorization.service';
import { TokenPaymentService } from './token-payment.service';
import { AcquirerTokenPaymentService } from './acquirer-token-payment.service';

@Module({ imports: [PaymentsModule, CardCollectionModule, AcquirerAnswersModule, MitModule, OutboxModule], providers: [AuthorizationService, PayPipeline, HostedFormService, PayIdempotency, TokenPaymentService, AcquirerTokenPaymentService], exports: [AuthorizationService] })
export class AuthorizationModule {}
