import { Module } from '@nestjs/common';
import { OperationsRepository } from './operations.repository';
import { PaymentsRepository } from './payments.repository';

/** The payment aggregate: its repositories are the only writers of payment, payment_event, capture and refund. */
@Module({ providers: [PaymentsRepository, OperationsRepository], exports: [PaymentsRepository, OperationsRepository] })
export class PaymentsModule {}
