import { ipLimitGroupOf } from './ip-limits';

describe('ipLimitGroupOf: which matched routes have a per-IP limit', () => {
  it('groups the unauthenticated routes by the route Fastify matched', () => {
    expect(ipLimitGroupOf('/antom/notify')).toBe('antom_notify');
    expect(ipLimitGroupOf('/admin/login')).toBe('admin_login');
    expect(ipLimitGroupOf('/admin/login/totp')).toBe('admin_login');
    for (const r of ['/collect/:sessionId', '/collect/:sessionId/card', '/collect/assets/collect.js']) expect(ipLimitGroupOf(r)).toBe('collect_page');
  });
  it('leaves the merchant API (its own per-merchant limit), signed-in console pages, health and 404s alone', () => {
    for (const r of ['/ams/api/v1/payments/pay', '/v1/payments/pay', '/admin/payments', '/admin/loginx', '/health', '/metrics', undefined]) expect(ipLimitGroupOf(r)).toBeNull();
  });
});
