import { Module } from '@nestjs/common';
import { CardCollectionModule } from '../card-collection/card-collection.module';
import { PaymentsModule } from '../payments/payments.module';
import { SettlementModule } from '../settlement/settlement.module';
import { InquiryModule } from '../inquiry/inquiry.module';
import { AuthorizationService } from './authorization.service';

@Module({ imports: [PaymentsModule, CardCollectionModule, SettlementModule, InquiryModule], providers: [AuthorizationService], exports: [AuthorizationService] })
export class AuthorizationModule {}
