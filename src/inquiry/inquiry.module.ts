import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { InquiryService } from './inquiry.service';

@Module({ imports: [PaymentsModule], providers: [InquiryService], exports: [InquiryService] })
export class InquiryModule {}
