import { DynamicModule, Global, Module } from '@nestjs/common';
import { UpstreamProbe } from '../platform/health/upstream-probe';
import { AntomClient } from './antom-client';
import { UPSTREAM_CREDENTIALS, UpstreamCredentials } from './upstream-credentials';

@Global()
@Module({})
export class UpstreamModule {
  static forRoot(creds: UpstreamCredentials): DynamicModule {
    return {
      module: UpstreamModule,
      providers: [{ provide: UPSTREAM_CREDENTIALS, useValue: creds }, AntomClient, { provide: UpstreamProbe, useExisting: AntomClient }],
      exports: [AntomClient, UpstreamProbe, UPSTREAM_CREDENTIALS],
    };
  }
}
