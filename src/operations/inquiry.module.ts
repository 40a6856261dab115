import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { SettlementModule } from '../settlement/settlement.module';
import { InquiryService } from './inquiry.service';
import { ReconciliationService } from '../settlement/reconciliation.service';
import { ReconciliationWorker } from '../settlement/reconciliation.worker';

@Module({
  imports: [PaymentsModule, SettlementModule],
  providers: [InquiryService, ReconciliationService, ReconciliationWorker],
  exports: [InquiryService, ReconciliationService, ReconciliationWorker],
})
export class InquiryModule {}
