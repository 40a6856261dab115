import { Module } from '@nestjs/common';

import { MerchantsRepository } from './merchants.repository';
import { MerchantsService } from './merchants.service';

@Module({ providers: [MerchantsService, MerchantsRepository], exports: [MerchantsService] })
export class MerchantsModule {}
