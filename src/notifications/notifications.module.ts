import { Module } from '@nestjs/common';
import { InquiryModule } from '../operations/inquiry.module';
import { SettlementModule } from '../settlement/settlement.module';
import { AntomNotifyController } from './antom-notify.controller';
import { OutboxModule } from './outbox/outbox.module';

/** Inbound Antom notifications (verify, dedupe, apply, ack) and the outbound merchant-notification outbox. */
@Module({ imports: [SettlementModule, InquiryModule, OutboxModule], controllers: [AntomNotifyController] })
export class NotificationsModule {}
