import { GatewayConfig } from '../config/gateway-config';
import { MerchantRateLimiter } from './merchant-rate-limiter';

const config = (perSecond: number, instances = 1) =>
  Object.assign(new GatewayConfig(), { MERCHANT_RATE_LIMIT_PER_SECOND: perSecond, GATEWAY_INSTANCE_COUNT: instances });

describe('MerchantRateLimiter', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  const burst = (l: MerchantRateLimiter, id: string, n: number) => Array.from({ length: n }, () => l.take(id)).filter(Boolean).length;

  it('allows one second of burst, then refills at the configured rate', () => {
    const l = new MerchantRateLimiter(config(10), clock);
    expect(burst(l, 'm1', 25)).toBe(10);
    now += 500;
    expect(burst(l, 'm1', 25)).toBe(5);
  });

  it('keeps merchants apart', () => {
    const l = new MerchantRateLimiter(config(3), clock);
    expect(burst(l, 'm1', 5)).toBe(3);
    expect(burst(l, 'm2', 5)).toBe(3);
  });

  it('divides the deployment-wide limit by the instance count', () => {
    const l = new MerchantRateLimiter(config(100, 4), clock);
    expect(burst(l, 'm1', 100)).toBe(25);
  });

  it('is off at 0', () => {
    expect(burst(new MerchantRateLimiter(config(0), clock), 'm1', 10_000)).toBe(10_000);
  });
});
