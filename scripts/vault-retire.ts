/**
 * `npm run vault:retire -- <version>`: forgets a KEK version's bytes for good. Refused (and the refusal
 * audited) while any card record's data key is still wrapped under it, or while it is the active one.
 */
import { KeyRotation } from '../src/pci/vault/key-rotation';
import { namedActor, withoutActor } from '../src/platform/operator/named-operator';
import { fail, openVault } from './vault-common';

async function main(): Promise<void> {
  const version = Number(withoutActor(process.argv.slice(2))[0]);
  if (!Number.isSafeInteger(version) || version < 1) fail('usage: npm run vault:retire -- <version>');
  const vault = await openVault();
  try {
    await new KeyRotation(
      vault.db,
      vault.keyring,
      `${namedActor('', process.argv.slice(2), process.env)} pid ${process.pid} (vault:retire ${version})`,
    ).retire(version);
    console.log(`key version ${version} retired`);
    if (!vault.keyring.writable) console.log('the keys come from VAULT_KEKS: remove this version there and redeploy');
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

main().catch((e: unknown) => fail(`vault:retire refused: ${e instanceof Error ? e.message : String(e)}`));
