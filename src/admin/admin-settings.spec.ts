import { GatewayConfig, loadConfig } from '../config/gateway-config';
import { AdminSettings, isLoopbackHost, parseThresholds } from './admin-settings';

describe('four-eyes threshold spec', () => {
  it('reads one number for every currency', () => {
    expect(parseThresholds('100000')).toEqual(new Map([['*', 100000n]]));
  });
  it('reads per-currency values with a fallback', () => {
    expect(parseThresholds('EUR:50000,JPY:500000,*:1')).toEqual(
      new Map([
        ['EUR', 50000n],
        ['JPY', 500000n],
        ['*', 1n],
      ]),
    );
  });
});

describe('ADMIN_REQUIRE_MFA', () => {
  const settings = (env: Partial<GatewayConfig>) => new AdminSettings(Object.assign(new GatewayConfig(), env));
  it('is on by default unless the gateway listens on loopback', () => {
    expect(settings({}).requireMfa).toBe(false);
    for (const host of ['0.0.0.0', '10.0.0.5', 'gateway.internal']) expect([host, settings({ HOST: host }).requireMfa]).toEqual([host, true]);
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect([host, isLoopbackHost(host)]).toEqual([host, true]);
  });
  it("looks at the console's own listener: ADMIN_HOST with ADMIN_PORT (issue 28: HOST=127.0.0.1 ADMIN_HOST=0.0.0.0 had no MFA)", () => {
    expect(settings({ HOST: '127.0.0.1', ADMIN_PORT: 9090, ADMIN_HOST: '0.0.0.0' }).requireMfa).toBe(true);
    expect(settings({ HOST: '0.0.0.0', ADMIN_PORT: 9090, ADMIN_HOST: '127.0.0.1' }).requireMfa).toBe(false);
    expect(settings({ HOST: '0.0.0.0', ADMIN_PORT: 9090 }).requireMfa).toBe(true); // ADMIN_HOST unset: HOST
    expect(settings({ HOST: '127.0.0.1', ADMIN_HOST: '0.0.0.0' }).requireMfa).toBe(false); // no ADMIN_PORT: ADMIN_HOST unused
  });
  it('follows an explicit true or false', () => {
    expect(settings({ ADMIN_REQUIRE_MFA: 'true' }).requireMfa).toBe(true);
    expect(settings({ HOST: '127.0.0.1', ADMIN_REQUIRE_MFA: 'false' }).requireMfa).toBe(false);
  });
  it('refuses to start with ADMIN_REQUIRE_MFA=false where the console is reachable from other machines', () => {
    const tls = { TLS_TERMINATED_UPSTREAM: 'true' };
    expect(() => loadConfig({}, { ...tls, HOST: '0.0.0.0', ADMIN_REQUIRE_MFA: 'false' })).toThrow(
      /ADMIN_REQUIRE_MFA=false while the admin console listens on HOST=0\.0\.0\.0/,
    );
    expect(() => loadConfig({}, { ...tls, HOST: '127.0.0.1', ADMIN_PORT: '9090', ADMIN_HOST: '10.0.0.5', ADMIN_REQUIRE_MFA: 'false' })).toThrow(
      /ADMIN_HOST=10\.0\.0\.5/,
    );
    expect(
      loadConfig({}, { ...tls, HOST: '0.0.0.0', ADMIN_PORT: '9090', ADMIN_HOST: '127.0.0.1', ADMIN_REQUIRE_MFA: 'false' }).ADMIN_REQUIRE_MFA,
    ).toBe('false');
  });
});
