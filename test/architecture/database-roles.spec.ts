import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/*
 * PCI DSS 7.2.5 / 10.3.2, as the reference compose file does it: migrations run as an owner role, the gateway as
 * an application role that cannot alter the tables or drop the audit log's append-only triggers, and no service
 * connects as the PostgreSQL superuser (the init script alone does).
 */
const ROOT = path.join(__dirname, '../..');
const compose = readFileSync(path.join(ROOT, 'docker/compose.yaml'), 'utf8');
const init = readFileSync(path.join(ROOT, 'docker/postgres-init/10-gateway-roles.sh'), 'utf8');

/** `KEY: postgres://user:…` lines of the compose file, with the user of each. */
function urls(key: string): string[] {
  return [...compose.matchAll(new RegExp(`^\\s+${key}:\\s*postgres://([^:@\\s]+)[:@]`, 'gm'))].map((m) => m[1]);
}

describe("the compose file's database roles", () => {
  const superuser = /^\s+POSTGRES_USER:\s*(\S+)/m.exec(compose)?.[1];

  it('the gateway connects as gateway_app, migrations as gateway_owner, nobody as the superuser', () => {
    expect(superuser).toBeDefined();
    expect(urls('DATABASE_URL')).toContain('gateway_app');
    expect(urls('MIGRATION_DATABASE_URL')).toEqual(['gateway_owner']);
    for (const user of [...urls('DATABASE_URL'), ...urls('MIGRATION_DATABASE_URL')]) expect(user).not.toBe(superuser);
    const gatewayBlock = compose.slice(compose.indexOf('gateway-env'), compose.indexOf('healthcheck', compose.indexOf('gateway-env')));
    expect(gatewayBlock).toMatch(/DATABASE_URL: postgres:\/\/gateway_app:/);
  });

  it('the init script is mounted and creates both roles without superuser powers; the app role gets rows, never ownership', () => {
    expect(compose).toMatch(/\.\/postgres-init:\/docker-entrypoint-initdb\.d/);
    expect(init).toMatch(/CREATE ROLE gateway_owner LOGIN NOSUPERUSER/);
    expect(init).toMatch(/CREATE ROLE gateway_app LOGIN NOSUPERUSER/);
    expect(init).toMatch(/ALTER SCHEMA public OWNER TO gateway_owner/);
    expect(init).toMatch(/GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gateway_app/);
    expect(init).not.toMatch(/OWNER TO gateway_app|GRANT\s+(ALL|CREATE)[^;]*TO gateway_app|gateway_app[^;]*\bSUPERUSER\b/);
  });
});
