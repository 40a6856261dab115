import { Module } from '@nestjs/common';

import { PaymentsModule } from '../../payments/payments.module';
import { NotificationDeliveryWorker } from './delivery.worker';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

@Module({
  imports: [PaymentsModule],
  providers: [OutboxRepository, OutboxService, NotificationDeliveryWorker],
  exports: [OutboxService, NotificationDeliveryWorker],
})
export class OutboxModule {}
