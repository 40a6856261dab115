import { Module } from '@nestjs/common';
import { CardCollectionService } from './card-collection.service';

@Module({ providers: [CardCollectionService], exports: [CardCollectionService] })
export class CardCollectionModule {}
