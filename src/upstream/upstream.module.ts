import { DynamicModule, Global, Module } from '@nestjs/common';

import { UpstreamProbe } from '../platform/health/upstream-probe';
import { AntomClient } from './antom-client';
import { PaymentProcessor } from './payment-processor';
import { UPSTREAM_CREDENTIALS, UpstreamCredentials } from './upstream-credentials';

@Global()
@Module({})
export class UpstreamModule {
  static forRoot(creds: UpstreamCredentials): DynamicModule {
    return {
      module: UpstreamModule,
      providers: [
        { provide: UPSTREAM_CREDENTIALS, useValue: creds },
        AntomClient,
        PaymentProcessor,
        { provide: UpstreamProbe, useExisting: AntomClient },
      ],
      exports: [AntomClient, PaymentProcessor, UpstreamProbe, UPSTREAM_CREDENTIALS],
    };
  }
}
