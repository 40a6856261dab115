import { Module } from '@nestjs/common';
import { CardCollectionModule } from '../card-collection/card-collection.module';
import { PaymentsModule } from '../payments/payments.module';
import { SettlementModule } from '../settlement/settlement.module';
import { InquiryModule } from '../inquiry/inquiry.module';
import { CaptureModule } from '../capture/capture.module';
import { AvsPolicyService } from '../avs/avs-policy.service';
import { MitModule } from '../mit/mit.module';
import { OutboxModule } from '../notifications/outbox/outbox.module';
import { HostedFormService } from './hosted-form.service';
import { CardlessPayFlow } from './cardless-pay-flow';
import { PayIdempotency } from './pay-idempotency';
import { AuthorizationService } from './authorization.service';
import { TokenPaymentService } from './token-payment.service';
import { AcquirerTokenPaymentService } from './acquirer-token-payment.service';

@Module({ imports: [PaymentsModule, CardCollectionModule, SettlementModule, InquiryModule, CaptureModule, MitModule, OutboxModule], providers: [AuthorizationService, AvsPolicyService, CardlessPayFlow, HostedFormService, PayIdempotency, TokenPaymentService, AcquirerTokenPaymentService], exports: [AuthorizationService] })
export class AuthorizationModule {}
