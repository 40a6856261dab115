import { DynamicModule, Module } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config';
import { AuthorizationModule } from '../authorization/authorization.module';
import { PaymentOperationsModule } from '../operations/payment-operations.module';
import { DisputesModule } from '../operations/disputes.module';
import { DisputesController } from './disputes.controller';
import { CardCollectionModule } from '../pci/card-collection/card-collection.module';
import { CardsController } from './cards.controller';
import { CardInfoController } from './card-info.controller';
import { CardInfoModule } from '../card-info/card-info.module';
import { InquiryModule } from '../operations/inquiry.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { AntomExceptionFilter } from './antom-exception.filter';
import { AntomResponseInterceptor } from './antom-response.interceptor';
import { GatewaySigningKey } from '../platform/gateway-signing-key';
import { MerchantAuthGuard } from './merchant-auth.guard';
import { MerchantRateLimiter } from './merchant-rate-limiter';
import { PaymentsController } from './payments.controller';
import { ResponseSigner } from './response-signer';
import { VaultingModule } from '../vaulting/vaulting.module';
import { VaultsController } from './vaults.controller';

@Module({})
export class MerchantApiModule {
  static forRoot(signingKey: GatewaySigningKey): DynamicModule {
    return {
      module: MerchantApiModule,
      global: true, // the signing key also signs outbound merchant notifications
      imports: [MerchantsModule, AuthorizationModule, InquiryModule, PaymentOperationsModule, DisputesModule, CardCollectionModule, VaultingModule, CardInfoModule],
      controllers: [PaymentsController, CardsController, VaultsController, DisputesController, CardInfoController],
      providers: [{ provide: GatewaySigningKey, useValue: signingKey }, ResponseSigner, MerchantAuthGuard, { provide: MerchantRateLimiter, useFactory: (c: GatewayConfig) => new MerchantRateLimiter(c), inject: [GatewayConfig] }, AntomResponseInterceptor, AntomExceptionFilter],
      exports: [ResponseSigner, GatewaySigningKey, MerchantsModule, MerchantRateLimiter],
    };
  }
}
