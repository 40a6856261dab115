import { loadConfig } from '../config/gateway-config';
import { ipLimitGroupOf, ipLimitsPerWorker } from './ip-limits';

describe('ipLimitGroupOf: which matched routes have a per-IP limit', () => {
  it('groups the unauthenticated routes by the route Fastify matched', () => {
    expect(ipLimitGroupOf('/antom/notify')).toBe('antom_notify');
    expect(ipLimitGroupOf('/admin/login')).toBe('admin_login');
    expect(ipLimitGroupOf('/admin/login/totp')).toBe('admin_login');
    for (const r of ['/collect/:sessionId', '/collect/:sessionId/card', '/collect/assets/collect.js']) expect(ipLimitGroupOf(r)).toBe('collect_page');
  });
  it('leaves the merchant API (its own per-merchant limit), signed-in console pages, health and 404s alone', () => {
    for (const r of ['/ams/api/v1/payments/pay', '/v1/payments/pay', '/admin/payments', '/admin/loginx', '/health', '/metrics', undefined])
      expect(ipLimitGroupOf(r)).toBeNull();
  });
});

describe('ipLimitsPerWorker: GATEWAY_WORKERS share each per-IP limit instead of multiplying it', () => {
  it('gives every worker the limit divided by the worker count, rounded up; 0 (off) stays off', () => {
    const config = loadConfig({
      GATEWAY_WORKERS: '4',
      IP_RATE_LIMIT_NOTIFY: '60000',
      IP_RATE_LIMIT_ADMIN_LOGIN: '5',
      IP_RATE_LIMIT_COLLECT: '0',
      IP_RATE_LIMIT_MERCHANT_API: '600',
    });
    expect(ipLimitsPerWorker(config)).toEqual({
      IP_RATE_LIMIT_NOTIFY: '15000',
      IP_RATE_LIMIT_ADMIN_LOGIN: '2',
      IP_RATE_LIMIT_COLLECT: '0',
      IP_RATE_LIMIT_MERCHANT_API: '150',
    });
    // A worker's share is a valid setting in its own right (the worker loads it like any other start).
    expect(loadConfig(ipLimitsPerWorker(config)).IP_RATE_LIMIT_ADMIN_LOGIN).toBe(2);
  });

  it('changes nothing for one process', () => {
    const config = loadConfig({});
    expect(ipLimitsPerWorker(config)).toEqual({
      IP_RATE_LIMIT_NOTIFY: String(config.IP_RATE_LIMIT_NOTIFY),
      IP_RATE_LIMIT_ADMIN_LOGIN: String(config.IP_RATE_LIMIT_ADMIN_LOGIN),
      IP_RATE_LIMIT_COLLECT: String(config.IP_RATE_LIMIT_COLLECT),
      IP_RATE_LIMIT_MERCHANT_API: String(config.IP_RATE_LIMIT_MERCHANT_API),
    });
  });
});
