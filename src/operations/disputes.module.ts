import { Module } from '@nestjs/common';

import { PaymentsModule } from '../payments/payments.module';
import { DisputesService } from './disputes.service';

/** The merchant's (and the console's) dispute actions, forwarded to the acquirer. */
@Module({ imports: [PaymentsModule], providers: [DisputesService], exports: [DisputesService] })
export class DisputesModule {}
