import * as fs from 'node:fs';
import * as path from 'node:path';

import { GatewayConfig, loadConfig } from './gateway-config';

/** `.env.example` lists every setting with its real default: sourced as it is, it changes nothing. */
describe('.env.example', () => {
  const text = fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }

  it('names every setting of GatewayConfig, each with a one-line comment above it', () => {
    const settings = [
      ...Object.keys(new GatewayConfig()),
      'DATABASE_URL',
      'ANTOM_BASE_URL',
      'ANTOM_CLIENT_ID',
      'ANTOM_PRIVATE_KEY',
      'ANTOM_PUBLIC_KEY',
      'GATEWAY_PRIVATE_KEY',
      'GATEWAY_PUBLIC_URL',
      'LOG_FILE',
      'SANDBOX_PUBLIC_URL',
      'VAULT_KEKS',
      'VAULT_FINGERPRINT_KEY',
    ];
    expect(settings.filter((k) => !(k in env))).toEqual([]);
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (/^[A-Z]/.test(line) && !/^TEST_DATA_DIR=/.test(line)) expect([line, lines[i - 1].startsWith('# ')]).toEqual([line, true]);
    });
  });

  it('gives the defaults the gateway uses when nothing is set', () => {
    expect(loadConfig(env).toJSON()).toEqual(loadConfig({}).toJSON());
  });
});
