/**
 * Shared by the vault scripts: the database (DATABASE_URL, else the embedded default under
 * GATEWAY_DATA_DIR — reused if a gateway already runs it, started otherwise) and the keyring the
 * gateway uses (VAULT_KEKS from the environment, else GATEWAY_DATA_DIR/keys/keyring.json).
 */
import 'reflect-metadata';

import { DataSource } from 'typeorm';

import { loadConfig } from '../src/config/gateway-config';
import { openKeyring, VaultKeyring } from '../src/pci/vault/vault-keyring';
import { openOpsDatabase } from '../src/platform/database/ops-database';

export interface VaultScriptContext {
  db: DataSource;
  keyring: VaultKeyring;
  close(): Promise<void>;
}

export async function openVault(poolSize = 2): Promise<VaultScriptContext> {
  const config = loadConfig();
  const { db, close } = await openOpsDatabase(config, poolSize);
  // After the database: a first keyring creates GATEWAY_DATA_DIR 0700, which PostgreSQL's initdb (run as
  // the postgres user when we are root) could then not enter.
  const keyring = openKeyring(config, process.env);
  return { db, keyring, close };
}

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
