import { generateRsaKeyPair } from '../antom/keys';
import { ConfigError, loadConfig, requireProductionKeySources, SENSITIVE_KEYS } from './gateway-config';

describe('loadConfig: transport security and limits', () => {
  const keys = generateRsaKeyPair();
  const antom = (url: string, publicUrl = 'https://gateway.shop.example') => ({
    ANTOM_BASE_URL: url,
    ANTOM_CLIENT_ID: 'C',
    ANTOM_PRIVATE_KEY: keys.privateKeyPem,
    ANTOM_PUBLIC_KEY: keys.publicKeyPem,
    GATEWAY_PUBLIC_URL: publicUrl || undefined,
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
      expect(() => loadConfig({}, antom('https://open-sea-global.alipay.com', publicUrl))).toThrow(
        /GATEWAY_PUBLIC_URL must be the https:\/\/ address Antom reaches/,
      );
    }
    expect(loadConfig({}, antom('http://127.0.0.1:9000', '')).ANTOM_BASE_URL).toBe('http://127.0.0.1:9000'); // loopback acquirer: the default will do
  });

  it("refuses the test kit's controls (a movable clock) with any real acquirer; allows them on the bundled sandbox", () => {
    for (const url of ['https://open-sea-global.alipay.com', 'http://127.0.0.1:9000'])
      expect(() => loadConfig({}, { ...antom(url), TEST_KIT_CONTROLS: 'true' })).toThrow(/TEST_KIT_CONTROLS=true .* refused with ANTOM_BASE_URL/);
    expect(loadConfig({}, { TEST_KIT_CONTROLS: 'true' }).TEST_KIT_CONTROLS).toBe(true);
    expect(loadConfig({}).TEST_KIT_CONTROLS).toBe(false);
  });

  it('says what is wrong with a value before its range, naming the variable once', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^Invalid configuration: PORT must be an integer number$/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^Invalid configuration: PORT must not be greater than 65535$/);
  });

  it('has a generous per-merchant rate limit by default, split over the instance count', () => {
    const c = loadConfig({});
    expect(c.MERCHANT_RATE_LIMIT_PER_SECOND).toBe(2000);
    expect(c.GATEWAY_INSTANCE_COUNT).toBe(1);
    expect(loadConfig({ MERCHANT_RATE_LIMIT_PER_SECOND: '0', GATEWAY_INSTANCE_COUNT: '4' })).toMatchObject({
      MERCHANT_RATE_LIMIT_PER_SECOND: 0,
      GATEWAY_INSTANCE_COUNT: 4,
    });
    expect(() => loadConfig({ GATEWAY_INSTANCE_COUNT: '0' })).toThrow(/GATEWAY_INSTANCE_COUNT/);
  });

  it('never prints the private keys', () => {
    expect(JSON.stringify(loadConfig({}, antom('https://a.example.com')))).not.toContain('PRIVATE KEY');
  });

  it('declares its secrets beside their keys, and never serialises them', () => {
    expect([...SENSITIVE_KEYS].sort()).toEqual([
      'ANTOM_PRIVATE_KEY',
      'DATABASE_URL',
      'GATEWAY_PRIVATE_KEY',
      'METRICS_TOKEN',
      'MIGRATION_DATABASE_URL',
    ]);
    const dbUrl = ['postgres:', '', `u:${'hunter2'}@db`, 'x'].join('/'); // built, so the secret scan sees no literal
    const c = loadConfig({ DATABASE_URL: dbUrl, GATEWAY_PRIVATE_KEY: 'secret-key-material', METRICS_TOKEN: 'scrape-token-0123456789' });
    const printed = JSON.stringify(c);
    expect(printed).not.toContain('scrape-token');
    expect(printed).not.toContain('hunter2');
    expect(printed).not.toContain('secret-key-material');
    expect(JSON.parse(printed)).toMatchObject({ DATABASE_URL: '[REDACTED]', GATEWAY_PRIVATE_KEY: '[REDACTED]', PORT: 8080 });
  });

  it("reads TRUST_PROXY as Fastify's trustProxy, and ADMIN_PORT / METRICS_TOKEN only when valid", () => {
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

describe('requireProductionKeySources: a remote acquirer refuses development key material (PCI DSS 3.6.1, 3.6.1.2)', () => {
  const keys = generateRsaKeyPair();
  const remote = {
    ANTOM_BASE_URL: 'https://open-sea-global.alipay.com',
    ANTOM_CLIENT_ID: 'C',
    ANTOM_PRIVATE_KEY: keys.privateKeyPem,
    ANTOM_PUBLIC_KEY: keys.publicKeyPem,
    GATEWAY_PUBLIC_URL: 'https://gateway.shop.example',
    DATABASE_URL: 'postgres://gw@db.internal/gw',
    GATEWAY_PRIVATE_KEY: keys.privateKeyPem,
  };
  const vaultEnv = { VAULT_KEKS: '1:AAAA', VAULT_FINGERPRINT_KEY: 'BBBB', VAULT_KEKS_CREATED: '1:2026-01-05' };
  const check =
    (over: Record<string, unknown>, env: Record<string, unknown> = vaultEnv) =>
    () =>
      requireProductionKeySources(loadConfig({}, { ...remote, ...over }), env);

  it('starts with every key from a configured source: environment, or the ceremony keyring file and a signing key file', () => {
    expect(check({})).not.toThrow();
    expect(
      check(
        { VAULT_KEYRING_FILE: '/run/secrets/keyring.json', GATEWAY_PRIVATE_KEY: undefined, GATEWAY_PRIVATE_KEY_FILE: '/run/secrets/signing.pem' },
        {},
      ),
    ).not.toThrow();
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, RegExp]>([
    [
      'the file keyring under GATEWAY_DATA_DIR (no VAULT_KEKS)',
      {},
      {},
      /VAULT_KEKS and VAULT_FINGERPRINT_KEY \(or VAULT_KEYRING_FILE\) are required/,
    ],
    ['KEKs without the fingerprint key', {}, { VAULT_KEKS: '1:AAAA', VAULT_KEKS_CREATED: '1:2026-01-05' }, /VAULT_FINGERPRINT_KEY/],
    ['KEKs without creation dates', {}, { VAULT_KEKS: '1:AAAA', VAULT_FINGERPRINT_KEY: 'BBBB' }, /VAULT_KEKS_CREATED/],
    [
      'a signing key generated under GATEWAY_DATA_DIR',
      { GATEWAY_PRIVATE_KEY: undefined },
      vaultEnv,
      /GATEWAY_PRIVATE_KEY or GATEWAY_PRIVATE_KEY_FILE is required/,
    ],
    ['the development TLS certificate', { TLS_DEV_CERT: 'true' }, vaultEnv, /TLS_DEV_CERT=true/],
    ['the embedded PostgreSQL (no DATABASE_URL)', { DATABASE_URL: undefined }, vaultEnv, /DATABASE_URL is required/],
  ])('refuses %s with one line naming what to set', (_what, over, env, message) => {
    expect(check(over, env)).toThrow(ConfigError);
    expect(check(over, env)).toThrow(message);
    let said = '';
    try {
      check(over, env)();
    } catch (e) {
      said = (e as Error).message;
    }
    expect(said).toMatch(/^Invalid configuration: .*remote acquirer/);
    expect(said).not.toContain('\n');
  });

  it('development (bundled sandbox, or an acquirer on loopback) keeps the generated keys, dev certificate and embedded database', () => {
    expect(() => requireProductionKeySources(loadConfig({}, { TLS_DEV_CERT: 'true' }), {})).not.toThrow();
    expect(() =>
      requireProductionKeySources(
        loadConfig({}, { ...remote, ANTOM_BASE_URL: 'http://127.0.0.1:9000', DATABASE_URL: undefined, GATEWAY_PRIVATE_KEY: undefined }),
        {},
      ),
    ).not.toThrow();
  });
});
