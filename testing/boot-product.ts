import { DataSource } from 'typeorm';

import { startEverything } from '../src/bootstrap/start-everything';
import { loadConfig } from '../src/config/gateway-config';
import { MerchantsService } from '../src/merchants/merchants.service';
import { GatewaySigningKey } from '../src/platform/gateway-signing-key';
import { createLogger } from '../src/platform/logging/logger';
import { ProductControls, productControls } from './product-controls';

export interface BootedProduct {
  gatewayUrl: string;
  sandboxUrl: string;
  gatewayPublicKey: string;
  addMerchant(clientId: string, publicKeyPem: string, notifyUrl: string): Promise<void>;
  /** The acquirer's id of a gateway payment (the sandbox's controls name the acquirer's ids). */
  upstreamPaymentId(paymentId: string): Promise<string | null>;
  /** The test-only controls: clock, settle now (product-controls.ts). */
  controls: ProductControls;
  stop(): Promise<void>;
}

/**
 * The product as `npm start` starts it (src/bootstrap/start-everything: embedded PostgreSQL unless
 * DATABASE_URL, the bundled sandbox, the gateway), from the given settings only, never the environment.
 */
export async function bootProduct(settings: Record<string, string>): Promise<BootedProduct> {
  const config = loadConfig({}, settings);
  const logger = createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE, stdout: false });
  if (!config.usesSandbox) throw new Error('the test kit runs the bundled sandbox acquirer: ANTOM_BASE_URL must not be among its settings');
  const stack = await startEverything(config, logger, settings);
  const db = stack.app.get(DataSource);
  return {
    gatewayUrl: stack.gatewayUrl,
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- usesSandbox is checked above: startEverything then always starts the bundled sandbox
    sandboxUrl: stack.sandbox!.url,
    gatewayPublicKey: stack.app.get(GatewaySigningKey).publicKeyPem,
    addMerchant: async (clientId, publicKeyPem, notifyUrl) =>
      void (await stack.app.get(MerchantsService).create(clientId, 'Test kit merchant', publicKeyPem, notifyUrl)),
    upstreamPaymentId: async (paymentId) => {
      // Read only, and only for the sandbox control: the payment tables are written by the gateway alone.
      const rows: Array<{ upstream_payment_id: string | null }> = await db.query('SELECT upstream_payment_id FROM payment WHERE payment_id = $1', [
        paymentId,
      ]);
      return rows[0]?.upstream_payment_id ?? null;
    },
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- as sandboxUrl above
    controls: productControls(stack.app, stack.sandbox!.url),
    stop: async () => {
      await stack.stop();
      logger.flush();
    },
  };
}
