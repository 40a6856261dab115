import { Module } from '@nestjs/common';

import { AcquirerAnswersModule } from '../acquirer-answers/acquirer-answers.module';
import { PaymentsModule } from '../payments/payments.module';
import { InquiryService } from './inquiry.service';

@Module({ imports: [PaymentsModule, AcquirerAnswersModule], providers: [InquiryService], exports: [InquiryService] })
export class InquiryModule {}
