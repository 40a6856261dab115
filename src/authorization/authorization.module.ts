import { Module } from '@nestjs/common';
import { CardCollectionModule } from '../card-collection/card-collection.module';
import { PaymentsModule } from '../payments/payments.module';
import { SettlementModule } from '../settlement/settlement.module';
import { InquiryModule } from '../inquiry/inquiry.module';
import { CaptureModule } from '../capture/capture.module';
import { AvsPolicyService } from '../avs/avs-policy.service';
import { HostedFormService } from './hosted-form.service';
import { PayIdempotency } from './pay-idempotency';
import { AuthorizationService } from './authorization.service';

@Module({ imports: [PaymentsModule, CardCollectionModule, SettlementModule, InquiryModule, CaptureModule], providers: [AuthorizationService, AvsPolicyService, HostedFormService, PayIdempotency], exports: [AuthorizationService] })
export class AuthorizationModule {}
