import { Module } from '@nestjs/common';
import { DisputesRepository } from './disputes.repository';
import { OperationsRepository } from './operations.repository';
import { PaymentsRepository } from './payments.repository';

/** The payment aggregate: its repositories are the only writers of payment, payment_event, capture and refund. */
@Module({ providers: [PaymentsRepository, OperationsRepository, DisputesRepository], exports: [PaymentsRepository, OperationsRepository, DisputesRepository] })
export class PaymentsModule {}
