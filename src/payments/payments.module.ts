import { Module } from '@nestjs/common';
import { AmountUpdatesRepository } from './amount-updates.repository';
import { OperationsRepository } from './operations.repository';
import { PaymentsRepository } from './payments.repository';

/** The payment aggregate: its repositories are the only writers of payment, payment_event, capture, refund and amount_update. */
@Module({ providers: [PaymentsRepository, OperationsRepository, AmountUpdatesRepository], exports: [PaymentsRepository, OperationsRepository, AmountUpdatesRepository] })
export class PaymentsModule {}
