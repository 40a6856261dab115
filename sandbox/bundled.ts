import * as fs from 'node:fs';

import { RunningSandbox, startSandbox } from './sandbox-server';
import { loadSandboxSettings } from './sandbox-settings';

/** What the gateway's start-up hands the bundled sandbox: where to store, and whom to trust. */
export interface BundledSandboxInput {
  databaseUrl: string;
  host: string;
  /** The sandbox's own signing key (PKCS#8 PEM). */
  privateKeyPem: string;
  /** The gateway's client id at the sandbox and its public key. */
  clientId: string;
  clientPublicKeyPem: string;
  /** Where SANDBOX_* settings are read from. */
  env: Record<string, unknown>;
}

/** The sandbox the gateway bundles for development and tests, configured by its own SANDBOX_* settings. */
export function startBundledSandbox(input: BundledSandboxInput): Promise<RunningSandbox> {
  const s = loadSandboxSettings(input.env);
  return startSandbox({
    port: s.SANDBOX_PORT,
    host: input.host,
    databaseUrl: input.databaseUrl,
    privateKeyPem: input.privateKeyPem,
    clients: { [input.clientId]: input.clientPublicKeyPem },
    notifyTimeScale: s.SANDBOX_NOTIFY_TIME_SCALE,
    slowAnswerMs: s.SANDBOX_SLOW_ANSWER_MS,
    authValiditySeconds: s.SANDBOX_AUTH_VALIDITY_SECONDS,
    publicUrl: s.SANDBOX_PUBLIC_URL,
    trustCaPem: s.SANDBOX_TRUST_CA_FILE ? fs.readFileSync(s.SANDBOX_TRUST_CA_FILE, 'utf8') : undefined,
    disputeDelaySeconds: s.SANDBOX_DISPUTE_DELAY_SECONDS,
  });
}
