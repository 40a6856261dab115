import { Module } from '@nestjs/common';

import { CardCollectionService } from './card-collection.service';
import { CardTokensService } from './card-tokens.service';
import { CollectPageController } from './collect/collect-page.controller';
import { CollectSessionService } from './collect/collect-session.service';

@Module({
  controllers: [CollectPageController],
  providers: [CardCollectionService, CardTokensService, CollectSessionService],
  exports: [CardCollectionService, CardTokensService, CollectSessionService],
})
export class CardCollectionModule {}
