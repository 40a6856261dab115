import { Inject, Injectable } from '@nestjs/common';

import { GatewayConfig } from '../../config/gateway-config';

/**
 * Where the acquirer, merchants and buyers reach this gateway: GATEWAY_PUBLIC_URL when set, else the
 * listener's own address. With PORT=0 (tests, `startTestGateway()`) the port exists only once bound, so
 * start-up records the bound address here, once, after `listen` — the configuration itself is never
 * changed after it was loaded and validated. Read per request (the notify URL sent upstream, card-page links).
 */
@Injectable()
export class GatewayAddress {
  private boundUrl?: string;

  constructor(@Inject(GatewayConfig) private readonly config: GatewayConfig) {}

  get publicUrl(): string {
    return this.config.GATEWAY_PUBLIC_URL ?? this.boundUrl ?? this.config.publicUrl;
  }

  /** The listener's address as bound; set once by start-up (a second call is a programming error). */
  bound(url: string): void {
    if (this.boundUrl) throw new Error('GatewayAddress.bound called twice');
    this.boundUrl = url;
  }
}
