import { Module } from '@nestjs/common';

import { OutboxModule } from '../notifications/outbox/outbox.module';
import { CardCollectionModule } from '../pci/card-collection/card-collection.module';
import { VaultingRepository } from './vaulting.repository';
import { VaultingService } from './vaulting.service';

@Module({
  imports: [CardCollectionModule, OutboxModule],
  providers: [VaultingRepository, VaultingService],
  exports: [VaultingService],
})
export class VaultingModule {}
