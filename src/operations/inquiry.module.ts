import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { SettlementModule } from '../settlement/settlement.module';
import { InquiryService } from './inquiry.service';

@Module({ imports: [PaymentsModule, SettlementModule], providers: [InquiryService], exports: [InquiryService] })
export class InquiryModule {}
