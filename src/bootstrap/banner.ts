import * as path from 'node:path';

/** The Dockerfile's runtime stage sets this: the banner then speaks of the container, not of a clone. */
export const IMAGE_ENV = 'GATEWAY_IMAGE';

export interface BannerFacts {
  gatewayUrl: string;
  adminUrl: string;
  /** The bundled sandbox's URL (npm start), or null when none runs in this process. */
  sandboxUrl: string | null;
  /** ANTOM_BASE_URL, when set. */
  antomBaseUrl: string | null | undefined;
  /** The demo merchant's credentials file, or null (a remote acquirer: no demo merchant). */
  merchantFile: string | null;
  /** The first admin's one-time password file while it exists, else null. */
  initialPasswordFile: string | null;
  /** Running from the Docker image (IMAGE_ENV=docker): no npm scripts, files under the /data volume. */
  inImage: boolean;
  cwd: string;
}

/** Where compose's gateways are reached for `exec` / `cp` (both share the /data volume, so either will do). */
const COMPOSE = 'docker compose -f docker/compose.yaml';
const SERVICE = 'gateway-1';

/**
 * An acquirer on plain http:// loopback is a development one (the gateway refuses plain HTTP elsewhere): in the
 * image that is compose's sandbox service sharing the network namespace, never "real Antom".
 */
function loopbackHttp(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/** The start-up banner, line by line: what runs where, and the next command that works where the gateway runs. */
export function bannerLines(f: BannerFacts): string[] {
  const rel = (file: string) => (f.inImage ? file : path.relative(f.cwd, file) || file);
  const sandbox = f.sandboxUrl
    ? f.sandboxUrl
    : loopbackHttp(f.antomBaseUrl)
      ? `${f.antomBaseUrl}   (a development acquirer on loopback${f.inImage ? ": compose's sandbox service" : ''})`
      : `off (real Antom at ${f.antomBaseUrl ?? 'ANTOM_BASE_URL, not set'})`;
  const merchant = f.merchantFile
    ? f.inImage
      ? `${f.merchantFile}   (pay from a clone: ${COMPOSE} cp ${SERVICE}:${f.merchantFile} .docker-demo/dev/merchant.json && GATEWAY_DATA_DIR=.docker-demo npm run pay:demo)`
      : `${rel(f.merchantFile)}   (try: npm run pay:demo)`
    : f.inImage
      ? `none created (remote acquirer): onboard with  ${COMPOSE} exec ${SERVICE} node dist/scripts/merchant.js add --client-id … --public-key … --actor YOUR_NAME`
      : 'none created (remote acquirer): onboard with  npm run merchant -- add --client-id … --public-key …';
  const admin = f.initialPasswordFile
    ? f.inImage
      ? `${f.adminUrl}/admin   (first login: user admin, password: ${COMPOSE} exec ${SERVICE} cat ${f.initialPasswordFile})`
      : `${f.adminUrl}/admin   (first login: user admin, password in ${rel(f.initialPasswordFile)})`
    : `${f.adminUrl}/admin`;
  return [
    '',
    `  Gateway   ${f.gatewayUrl}   (health: ${f.gatewayUrl}/health)`,
    `  Sandbox   ${sandbox}`,
    `  Merchant  ${merchant}`,
    `  Admin     ${admin}`,
    f.inImage ? `  Stop      ${COMPOSE} stop (the container drains on SIGTERM)` : '  Stop      Ctrl-C',
    '',
  ];
}
