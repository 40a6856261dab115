import { Module } from '@nestjs/common';

import { AmountUpdatesRepository } from './amount-updates.repository';
import { DisputesRepository } from './disputes.repository';
import { OperationsRepository } from './operations.repository';
import { PaymentsRepository } from './payments.repository';
import { RedriveLeaseRepository } from './redrive-lease.repository';

/** The payment aggregate: its repositories are the only writers of payment, payment_event, capture, refund, amount_update and dispute (a re-drive's lease too). */
@Module({
  providers: [PaymentsRepository, OperationsRepository, AmountUpdatesRepository, DisputesRepository, RedriveLeaseRepository],
  exports: [PaymentsRepository, OperationsRepository, AmountUpdatesRepository, DisputesRepository, RedriveLeaseRepository],
})
export class PaymentsModule {}
