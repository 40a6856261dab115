import multipart from '@fastify/multipart';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'pino';

import { AcquirerApiModule } from '../acquirer-api/acquirer-api.module';
import { AdminModule } from '../admin/admin.module';
import { GatewayConfig } from '../config/gateway-config';
import { AntomExceptionFilter } from '../merchant-api/antom-exception.filter';
import { MerchantApiModule } from '../merchant-api/merchant-api.module';
import { keepRawBodies } from '../merchant-api/raw-body';
import { OutboxModule } from '../notifications/outbox/outbox.module';
import { OpenApiModule } from '../openapi/openapi.module';
import { VaultModule } from '../pci/vault/vault.module';
import type { VaultKeyring } from '../pci/vault/vault-keyring';
import { runMigrationsLocked } from '../platform/database/run-migrations';
import { GatewaySigningKey } from '../platform/gateway-signing-key';
import { registerCspReports } from '../platform/http/csp-report';
import { applyListenerTimeouts, connectionsCheckingInterval } from '../platform/http/listener-timeouts';
import { registerSecurityHeaders } from '../platform/http/security-headers';
import { TlsMaterial, tlsServerOptions } from '../platform/http/tls-material';
import { PinoNestLogger } from '../platform/logging/logger';
import { MetricsService } from '../platform/metrics/metrics.service';
import { PlatformModule } from '../platform/platform.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { UpstreamCredentials } from '../upstream/upstream-credentials';
import { AdminListener, separateAdminListener } from './admin-listener';
import { registerIpLimits } from './ip-limits';

/** Everything from outside the Nest container that the gateway needs, resolved by main.ts or a test. */
export interface GatewayRuntime {
  config: GatewayConfig;
  databaseUrl: string;
  logger: Logger;
  keyring: VaultKeyring;
  signingKey: GatewaySigningKey;
  upstream: UpstreamCredentials;
  /** Native TLS for PORT and ADMIN_PORT (loadTlsMaterial); absent: plain HTTP (loopback, or TLS ends in front). */
  tls?: TlsMaterial;
}

@Module({})
class GatewayModule {
  static forRoot(rt: GatewayRuntime): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forRoot(rt),
        VaultModule.forRoot(rt.keyring),
        UpstreamModule.forRoot(rt.upstream),
        MerchantApiModule.forRoot(rt.signingKey),
        AcquirerApiModule,
        OutboxModule,
        AdminModule,
        OpenApiModule,
      ],
    };
  }
}

const adminListeners = new WeakMap<NestFastifyApplication, AdminListener>();

/** The ADMIN_PORT listener of an app built by `createGatewayApp`, when ADMIN_PORT is set (started by the caller, after `listen`). */
export function adminListenerOf(app: NestFastifyApplication): AdminListener | undefined {
  return adminListeners.get(app);
}

/** Builds the gateway on Fastify: raw bodies for signatures, security headers, Antom-format errors. */
export async function createGatewayApp(rt: GatewayRuntime): Promise<NestFastifyApplication> {
  // Migrations as the schema owner when one is configured; the app itself then runs as a role that cannot alter tables.
  await runMigrationsLocked(rt.config.MIGRATION_DATABASE_URL ?? rt.databaseUrl);
  const https = rt.tls
    ? { https: tlsServerOptions(rt.tls, rt.config.REQUEST_TIMEOUT_MS) }
    : { http: { connectionsCheckingInterval: connectionsCheckingInterval(rt.config.REQUEST_TIMEOUT_MS) } };
  const adapter = new FastifyAdapter({
    bodyLimit: rt.config.BODY_LIMIT_BYTES,
    logger: false,
    return503OnClosing: true,
    trustProxy: rt.config.trustProxy,
    ...https,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(rt), adapter, {
    logger: new PinoNestLogger(rt.logger),
    bodyParser: false,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  applyListenerTimeouts(fastify.server, rt.config.REQUEST_TIMEOUT_MS);
  keepRawBodies(fastify, rt.config.BODY_LIMIT_BYTES);
  // multipart/form-data is parsed lazily, only where a console route asks for it (the defence upload, with its own limits).
  await app.register(multipart as never, { limits: { files: 1, fields: 8, parts: 10, fieldSize: 4096, fileSize: 1 } });
  // helmet's full set for pages, four constant headers for the signed JSON APIs (security-headers.ts).
  registerSecurityHeaders(fastify);
  const admin = separateAdminListener(fastify, rt.config, rt.tls);
  if (admin) adminListeners.set(app, admin);
  await registerIpLimits(app, rt.config);
  registerCspReports(fastify, app.get(MetricsService));
  app.useGlobalFilters(app.get(AntomExceptionFilter));
  await app.init();
  return app;
}
