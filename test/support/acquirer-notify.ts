import * as fs from 'node:fs';
import * as path from 'node:path';

import { request } from 'undici';

import { loadPrivateKey } from '../../src/antom/keys';
import { formatSignatureHeader, sign } from '../../src/antom/signature';
import { GatewayConfig } from '../../src/config/gateway-config';
import type { TestStack } from './stack';

/**
 * Posts a notification to the gateway's /antom/notify signed with the bundled sandbox's own key, as the acquirer
 * would: an object is serialised, a string is sent (and signed) as it is.
 */
export async function notifyAsAcquirer(
  stack: TestStack,
  body: object | string,
): Promise<{ status: number; body: { result: Record<string, string> } }> {
  const creds = JSON.parse(fs.readFileSync(path.join(stack.app.get(GatewayConfig).dataDir, 'keys', 'sandbox-credentials.json'), 'utf8'));
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const time = new Date().toISOString();
  const signature = sign({ path: '/antom/notify', clientId: creds.clientId, time, body: raw }, loadPrivateKey(creds.sandboxPrivateKeyPem));
  const res = await request(`${stack.gatewayUrl}/antom/notify`, {
    method: 'POST',
    body: raw,
    headers: { 'content-type': 'application/json', 'client-id': creds.clientId, 'request-time': time, signature: formatSignatureHeader(signature) },
  });
  return { status: res.statusCode, body: (await res.body.json()) as { result: Record<string, string> } };
}
