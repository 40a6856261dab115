import { Module } from '@nestjs/common';
import { CardCollectionModule } from '../card-collection/card-collection.module';
import { PaymentsModule } from '../payments/payments.module';
import { AuthorizationService } from './authorization.service';
import { TokenPaymentService } from './token-payment.service';

@Module({ imports: [PaymentsModule, CardCollectionModule], providers: [AuthorizationService, TokenPaymentService], exports: [AuthorizationService] })
export class AuthorizationModule {}
