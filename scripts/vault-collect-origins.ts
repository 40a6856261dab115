/**
 * `npm run vault:collect-origins -- <clientId> [origin ...]`: sets the parent origins allowed to frame a
 * merchant's hosted card page (CSP frame-ancestors, postMessage target). No origins: prints the current ones.
 */
import { normalizeOrigin } from '../src/pci/card-collection/collect/origins';
import { fail, openVault } from './vault-common';

async function main(): Promise<void> {
  const [clientId, ...origins] = process.argv.slice(2);
  if (!clientId) fail('usage: npm run vault:collect-origins -- <clientId> [https://shop.example ...]');
  const clean = origins.map((o) => normalizeOrigin(o) ?? fail(`not an origin: ${o} (expected e.g. https://shop.example)`));
  const vault = await openVault();
  try {
    const sql = clean.length
      ? `UPDATE merchant SET collect_origins = $2 WHERE client_id = $1 RETURNING collect_origins`
      : `SELECT collect_origins FROM merchant WHERE client_id = $1`;
    const res = await vault.db.query(sql, clean.length ? [clientId, clean] : [clientId]);
    const row = Array.isArray(res[0]) ? res[0][0] : res[0];
    if (!row) throw new Error(`no merchant with client id ${clientId}`);
    console.log(`${clientId}: ${row.collect_origins.join(' ') || '(none: the card page cannot be framed)'}`);
  } finally {
    await vault.close();
  }
}

main().catch((e: unknown) => fail(`vault:collect-origins failed: ${e instanceof Error ? e.message : String(e)}`));
