import { Inject, Injectable } from '@nestjs/common';

import { GatewayConfig } from '../config/gateway-config';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Per-merchant token bucket, in memory, one per gateway instance. The deployment-wide limit
 * MERCHANT_RATE_LIMIT_PER_SECOND is split evenly over GATEWAY_INSTANCE_COUNT instances.
 *
 * Trade-off (chosen on purpose): no database or network round trip on the hot path, at the price of
 * approximation: behind a load balancer that spreads a merchant's traffic evenly the total is close
 * to the configured limit; with uneven spreading a merchant hits the limit earlier on a hot
 * instance, never later than the configured total. A wrong instance count skews it proportionally.
 * Burst capacity is one second's worth of tokens.
 */
@Injectable()
export class MerchantRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perSecond: number;
  private readonly capacity: number;

  constructor(
    @Inject(GatewayConfig) config: GatewayConfig,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.perSecond = config.MERCHANT_RATE_LIMIT_PER_SECOND / config.GATEWAY_INSTANCE_COUNT;
    this.capacity = Math.max(1, this.perSecond);
  }

  /** True when the merchant may proceed (and one token is spent); false when over the limit. */
  take(merchantId: string): boolean {
    if (this.perSecond <= 0) return true;
    const now = this.clock();
    let bucket = this.buckets.get(merchantId);
    if (!bucket) {
      bucket = { tokens: this.capacity, at: now };
      this.buckets.set(merchantId, bucket);
    }
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
