/**
 * `npm run vault:rotate`: adds a KEK version (active at once for new records, also on running gateways,
 * which notice the keyring file changed), then re-wraps every data key under it in batches while
 * payments go on. `npm run vault:rotate -- --rewrap-only` only re-wraps (after adding a version to
 * VAULT_KEKS in production, or to finish an interrupted run). Every step is audited in vault_key_event.
 */
import { KeyRotation } from '../src/pci/vault/key-rotation';
import { namedActor } from '../src/platform/operator/named-operator';
import { fail, openVault } from './vault-common';

async function main(): Promise<void> {
  const rewrapOnly = process.argv.includes('--rewrap-only');
  const batch = Number(process.env.VAULT_REWRAP_BATCH ?? 500);
  const vault = await openVault();
  try {
    const rotation = new KeyRotation(
      vault.db,
      vault.keyring,
      `${namedActor('', process.argv.slice(2), process.env)} pid ${process.pid} (${rewrapOnly ? 'vault:rotate --rewrap-only' : 'vault:rotate'})`,
    );
    if (rewrapOnly) {
      const r = await rotation.rewrap(batch);
      console.log(`re-wrapped ${r.rewrapped} record(s) under key version ${r.toVersion} in ${r.batches} batch(es); ${r.failed} failed`);
    } else {
      const { version, rewrap: r } = await rotation.rotate(batch);
      console.log(`key version ${version} is active; re-wrapped ${r.rewrapped} record(s) in ${r.batches} batch(es); ${r.failed} failed`);
    }
    console.log(`records per key version: ${JSON.stringify(await rotation.census())}`);
    console.log(
      `key versions: ${vault.keyring
        .versions()
        .map((k) => `${k.version}:${k.status}`)
        .join(' ')}`,
    );
  } finally {
    await vault.close();
  }
}

main().catch((e: unknown) => fail(`vault:rotate failed: ${e instanceof Error ? e.message : String(e)}`));
