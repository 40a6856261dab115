import { ConfigError, isLoopbackHost, loadConfig } from './gateway-config';

/** PCI DSS 4.2.1 at start-up: a listener other machines can reach is TLS, or TLS is stated to end in front. */
describe('loadConfig: TLS on the listeners', () => {
  it('refuses a non-loopback HOST or ADMIN_HOST without TLS, in one line naming the way out', () => {
    for (const host of ['0.0.0.0', '10.0.0.5', '::', 'gateway.internal']) {
      expect(() => loadConfig({ HOST: host })).toThrow(ConfigError);
      expect(() => loadConfig({ HOST: host })).toThrow(
        new RegExp(
          `^Invalid configuration: HOST=${host.replace(/\./g, '\\.')} is reachable from other machines but TLS is off: set TLS_CERT_FILE and TLS_KEY_FILE, or TLS_TERMINATED_UPSTREAM=true if TLS ends in front of the gateway \\(PCI DSS 4\\.2\\.1\\)$`,
        ),
      );
    }
    expect(() => loadConfig({ ADMIN_PORT: '9090', ADMIN_HOST: '0.0.0.0' })).toThrow(/^Invalid configuration: ADMIN_HOST=0\.0\.0\.0 is reachable/);
    // ADMIN_HOST means nothing without ADMIN_PORT (no second listener).
    expect(loadConfig({ ADMIN_HOST: '0.0.0.0' }).ADMIN_HOST).toBe('0.0.0.0');
  });

  it('starts on loopback without TLS, and off loopback with TLS or TLS_TERMINATED_UPSTREAM=true', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) expect(loadConfig({ HOST: host }).HOST).toBe(host);
    expect(loadConfig({ HOST: '0.0.0.0', TLS_TERMINATED_UPSTREAM: 'true' }).tlsEnabled).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', TLS_DEV_CERT: 'true' }).tlsEnabled).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0', ADMIN_PORT: '9090', ADMIN_HOST: '0.0.0.0', TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem' }).tlsEnabled).toBe(
      true,
    );
  });

  it('wants the certificate and its key together, and one certificate only', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: 'c.pem' })).toThrow(/^Invalid configuration: TLS_KEY_FILE is required when TLS_CERT_FILE is set$/);
    expect(() => loadConfig({ TLS_KEY_FILE: 'k.pem' })).toThrow(/^Invalid configuration: TLS_CERT_FILE is required when TLS_KEY_FILE is set$/);
    expect(() => loadConfig({ TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem', TLS_DEV_CERT: 'true' })).toThrow(/choose one certificate/);
  });

  it('makes the public URL https when the gateway serves TLS', () => {
    expect(loadConfig({}).publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ TLS_DEV_CERT: 'true', PORT: '8443' }).publicUrl).toBe('https://127.0.0.1:8443');
    expect(loadConfig({ TLS_DEV_CERT: 'true', GATEWAY_PUBLIC_URL: 'https://gw.example' }).publicUrl).toBe('https://gw.example');
  });

  it('knows loopback: 127.0.0.0/8, ::1, localhost', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', '[::1]', 'LOCALHOST'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '128.0.0.1', '10.0.0.1', 'localhost.example'].some(isLoopbackHost)).toBe(false);
  });
});
