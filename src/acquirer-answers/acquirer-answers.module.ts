import { Module } from '@nestjs/common';

import { MerchantsModule } from '../merchants/merchants.module';
import { OutboxModule } from '../notifications/outbox/outbox.module';
import { PaymentsModule } from '../payments/payments.module';
import { AcquirerAnswersService } from './acquirer-answers.service';
import { AcquirerCardTokenRepository } from './acquirer-card-token.repository';
import { AcquirerNotificationsService } from './acquirer-notifications.service';
import { AmountUpdateReconciliation } from './amount-update-reconciliation';
import { AmountUpdateSettlement } from './amount-update-settlement';
import { AvsPolicyService } from './avs-policy.service';
import { AwaitingCaptures } from './awaiting-captures';
import { DisputeNotificationsService } from './dispute-notifications.service';
import { NotificationDedupeRepository } from './notification-dedupe.repository';
import { OperationRedrive } from './operation-redrive';
import { PayRedrive } from './pay-redrive';
import { ReconciliationService } from './reconciliation.service';
import { ReconciliationWorker } from './reconciliation.worker';

/**
 * Applying what the acquirer says, in one module: the pay answer, notifications, inquiries and
 * reconciliation (open amount updates too), the re-drive of a U answer (the merchant's same-id retry), the
 * automatic-capture booking and the AVS/CVV policy's void.
 */
@Module({
  imports: [PaymentsModule, OutboxModule, MerchantsModule],
  providers: [
    AwaitingCaptures,
    AcquirerCardTokenRepository,
    NotificationDedupeRepository,
    AcquirerAnswersService,
    PayRedrive,
    OperationRedrive,
    AmountUpdateSettlement,
    AmountUpdateReconciliation,
    ReconciliationService,
    ReconciliationWorker,
    AvsPolicyService,
    AcquirerNotificationsService,
    DisputeNotificationsService,
  ],
  exports: [
    AcquirerCardTokenRepository,
    AcquirerAnswersService,
    PayRedrive,
    OperationRedrive,
    AmountUpdateSettlement,
    AmountUpdateReconciliation,
    ReconciliationService,
    ReconciliationWorker,
    AvsPolicyService,
    AcquirerNotificationsService,
  ],
})
export class AcquirerAnswersModule {}
