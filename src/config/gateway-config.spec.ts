import { generateRsaKeyPair } from '../antom/keys';
import { ConfigError, loadConfig } from './gateway-config';

describe('loadConfig: transport security and limits', () => {
  const keys = generateRsaKeyPair();
  const antom = (url: string) => ({ ANTOM_BASE_URL: url, ANTOM_CLIENT_ID: 'C', ANTOM_PRIVATE_KEY: keys.privateKeyPem, ANTOM_PUBLIC_KEY: keys.publicKeyPem });

  it('refuses a clear-text acquirer URL (PCI DSS 4.2.1: card data only over strong cryptography)', () => {
    expect(() => loadConfig({}, antom('http://acquirer.example.com'))).toThrow(ConfigError);
    expect(() => loadConfig({}, antom('http://acquirer.example.com'))).toThrow(/https/);
  });

  it('accepts https, and plain http only on loopback (the bundled sandbox, tests)', () => {
    expect(loadConfig({}, antom('https://open-sea-global.alipay.com')).ANTOM_BASE_URL).toBe('https://open-sea-global.alipay.com');
    expect(loadConfig({}, antom('http://127.0.0.1:9000')).ANTOM_BASE_URL).toBe('http://127.0.0.1:9000');
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
});
