import { loadConfig } from '../config/gateway-config';
import { MerchantsService } from '../merchants/merchants.service';
import { PaymentsRepository } from '../payments/payments.repository';
import { GatewaySigningKey } from '../platform/gateway-signing-key';
import { createLogger } from '../platform/logging/logger';
import { ProductControls, productControls } from './product-controls';
import { startEverything } from './start-everything';

export type { AuthExpiryPolicy, PaymentStanding, ProductControls } from './product-controls';

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
 * The package's `antom-card-gateway/boot` entry, for the test kit (packages/antom-test-kit): the kit boots the
 * product through this public entry, never by reaching into src/.
 *
 * The product as `npm start` starts it (src/bootstrap/start-everything: embedded PostgreSQL unless
 * DATABASE_URL, the bundled sandbox, the gateway), from the given settings only, never the environment.
 */
export async function bootProduct(settings: Record<string, string>): Promise<BootedProduct> {
  const config = loadConfig({}, settings);
  const logger = createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE, stdout: false });
  if (!config.usesSandbox) throw new Error('the test kit runs the bundled sandbox acquirer: ANTOM_BASE_URL must not be among its settings');
  const stack = await startEverything(config, logger, settings);
  const payments = stack.app.get(PaymentsRepository);
  const merchantIds: string[] = [];
  return {
    gatewayUrl: stack.gatewayUrl,
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- usesSandbox is checked above: startEverything then always starts the bundled sandbox
    sandboxUrl: stack.sandbox!.url,
    gatewayPublicKey: stack.app.get(GatewaySigningKey).publicKeyPem,
    addMerchant: async (clientId, publicKeyPem, notifyUrl) => {
      const merchant = await stack.app.get(MerchantsService).create(clientId, 'Test kit merchant', publicKeyPem, notifyUrl);
      merchantIds.push(merchant.id);
    },
    upstreamPaymentId: async (paymentId) => {
      // Read only, and only for the sandbox control: the payment tables are written by the gateway alone.
      for (const merchantId of merchantIds) {
        const p = await payments.findByPaymentId(merchantId, paymentId);
        if (p) return p.upstreamPaymentId;
      }
      return null;
    },
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- as sandboxUrl above
    controls: productControls(stack.app, stack.sandbox!.url),
    stop: async () => {
      await stack.stop();
      logger.flush();
    },
  };
}
