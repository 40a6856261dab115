import { loadConfig } from '../../config/gateway-config';
import { metricsAccess } from './metrics-access';

const TOKEN = 'x'.repeat(24);

describe('metricsAccess: who may read /metrics', () => {
  it('is open on a loopback listener without METRICS_TOKEN', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) expect(metricsAccess(loadConfig({ HOST: host }))).toBe('open');
    expect(metricsAccess(loadConfig({ HOST: '0.0.0.0', TLS_TERMINATED_UPSTREAM: 'true', ADMIN_PORT: '9090', ADMIN_HOST: '127.0.0.1' }))).toBe('open');
  });

  it('is closed on a listener other machines reach, without METRICS_TOKEN (TLS in front changes nothing)', () => {
    expect(metricsAccess(loadConfig({ HOST: '0.0.0.0', TLS_TERMINATED_UPSTREAM: 'true' }))).toBe('closed');
    expect(metricsAccess(loadConfig({ HOST: '10.0.0.5', TLS_DEV_CERT: 'true' }))).toBe('closed');
    // ADMIN_HOST unset: the admin listener binds HOST.
    expect(metricsAccess(loadConfig({ HOST: '::', TLS_TERMINATED_UPSTREAM: 'true', ADMIN_PORT: '9090' }))).toBe('closed');
    expect(metricsAccess(loadConfig({ ADMIN_PORT: '9090', ADMIN_HOST: '0.0.0.0', TLS_TERMINATED_UPSTREAM: 'true' }))).toBe('closed');
  });

  it('wants the bearer token wherever METRICS_TOKEN is set', () => {
    expect(metricsAccess(loadConfig({ METRICS_TOKEN: TOKEN }))).toBe('token');
    expect(metricsAccess(loadConfig({ METRICS_TOKEN: TOKEN, HOST: '0.0.0.0', TLS_TERMINATED_UPSTREAM: 'true' }))).toBe('token');
  });
});
