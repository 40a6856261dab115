import { DynamicModule, Module } from '@nestjs/common';

import { AuthorizationModule } from '../authorization/authorization.module';
import { CardInfoModule } from '../card-info/card-info.module';
import { GatewayConfig } from '../config/gateway-config';
import { MerchantsModule } from '../merchants/merchants.module';
import { DisputesModule } from '../operations/disputes.module';
import { InquiryModule } from '../operations/inquiry.module';
import { PaymentOperationsModule } from '../operations/payment-operations.module';
import { CardCollectionModule } from '../pci/card-collection/card-collection.module';
import { GatewaySigningKey } from '../platform/gateway-signing-key';
import { VaultingModule } from '../vaulting/vaulting.module';
import { AntomExceptionFilter } from './antom-exception.filter';
import { CardInfoController } from './card-info.controller';
import { CardsController } from './cards.controller';
import { DisputesController } from './disputes.controller';
import { MerchantAuthGuard } from './merchant-auth.guard';
import { MerchantRateLimiter } from './merchant-rate-limiter';
import { PaymentsController } from './payments.controller';
import { ResponseSigner } from './response-signer';
import { VaultsController } from './vaults.controller';

@Module({})
export class MerchantApiModule {
  static forRoot(signingKey: GatewaySigningKey): DynamicModule {
    return {
      module: MerchantApiModule,
      global: true, // the signing key also signs outbound merchant notifications
      imports: [
        MerchantsModule,
        AuthorizationModule,
        InquiryModule,
        PaymentOperationsModule,
        DisputesModule,
        CardCollectionModule,
        VaultingModule,
        CardInfoModule,
      ],
      controllers: [PaymentsController, CardsController, VaultsController, DisputesController, CardInfoController],
      providers: [
        { provide: GatewaySigningKey, useValue: signingKey },
        ResponseSigner,
        MerchantAuthGuard,
        { provide: MerchantRateLimiter, useFactory: (c: GatewayConfig) => new MerchantRateLimiter(c), inject: [GatewayConfig] },
        AntomExceptionFilter,
      ],
      exports: [ResponseSigner, GatewaySigningKey, MerchantsModule, MerchantRateLimiter],
    };
  }
}
