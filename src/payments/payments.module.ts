import { Module } from '@nestjs/common';
import { AmountUpdatesRepository } from './amount-updates.repository';
import { DisputesRepository } from './disputes.repository';
import { OperationsRepository } from './operations.repository';
import { PaymentsRepository } from './payments.repository';

/** The payment aggregate: its repositories are the only writers of payment, payment_event, capture, refund, amount_update and dispute. */
@Module({ providers: [PaymentsRepository, OperationsRepository, AmountUpdatesRepository, DisputesRepository], exports: [PaymentsRepository, OperationsRepository, AmountUpdatesRepository, DisputesRepository] })
export class PaymentsModule {}
