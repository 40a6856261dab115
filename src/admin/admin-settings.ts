import { Injectable } from '@nestjs/common';

import { GatewayConfig, isLoopbackHost } from '../config/gateway-config';

export { isLoopbackHost };

export const IDLE_TIMEOUT_MINUTES = 15;
export const SESSION_MAX_HOURS = 12;
export const LOCKOUT_AFTER_FAILURES = 10;
export const LOCKOUT_MINUTES = 30;
export const APPROVAL_VALID_HOURS = 24;

/** Parses "100000" or "EUR:50000,JPY:500000,*:100000" (validated by GatewayConfig already). */
export function parseThresholds(spec: string): Map<string, bigint> {
  const map = new Map<string, bigint>();
  if (/^\d+$/.test(spec)) {
    map.set('*', BigInt(spec));
    return map;
  }
  for (const part of spec.split(',')) {
    const [cur, amount] = part.split(':');
    map.set(cur, BigInt(amount));
  }
  return map;
}

/** The admin console's settings, derived once from the gateway configuration. */
@Injectable()
export class AdminSettings {
  readonly fourEyes: Map<string, bigint>;
  readonly fourEyesDaily: Map<string, bigint>;
  readonly secureCookies: boolean;
  /**
   * PCI DSS 8.4.2: every console person signs in with a second factor (ADMIN_REQUIRE_MFA). `auto`: wherever the
   * console listens on a non-loopback address — ADMIN_HOST when ADMIN_PORT separates it, else HOST.
   */
  readonly requireMfa: boolean;

  constructor(config: GatewayConfig) {
    this.fourEyes = parseThresholds(config.ADMIN_FOUR_EYES_THRESHOLD_MINOR);
    this.fourEyesDaily = parseThresholds(config.ADMIN_FOUR_EYES_DAILY_THRESHOLD_MINOR);
    this.secureCookies = config.ADMIN_COOKIE_SECURE === 'auto' ? !isPlainLoopback(config.publicUrl) : config.ADMIN_COOKIE_SECURE === 'true';
    this.requireMfa = config.ADMIN_REQUIRE_MFA === 'auto' ? !isLoopbackHost(config.consoleHost) : config.ADMIN_REQUIRE_MFA === 'true';
  }

  /** Amounts strictly above this need a second person; null when the currency has no threshold. */
  fourEyesThreshold(currency: string): bigint | null {
    return this.fourEyes.get(currency) ?? this.fourEyes.get('*') ?? null;
  }

  /** What one person may move without approval per currency over 24 hours; null when unlimited. */
  fourEyesDailyThreshold(currency: string): bigint | null {
    return this.fourEyesDaily.get(currency) ?? this.fourEyesDaily.get('*') ?? null;
  }

  get cookieName(): string {
    // The __Host- prefix makes the browser insist on Secure, Path=/ and no Domain.
    return this.secureCookies ? '__Host-gw_admin' : 'gw_admin';
  }
}

/** Development on http://127.0.0.1: browsers would drop a Secure cookie set over plain http. */
function isPlainLoopback(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}
