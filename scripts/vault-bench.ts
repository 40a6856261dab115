/**
 * `npm run vault:bench`: the vault's cost per card on this machine, crypto alone and with PostgreSQL.
 *   - envelope: fresh DEK, wrap under the KEK, encrypt PAN/expiry/holder/CVV (store) and the reverse
 *     (open), in memory: what the vault adds to a pay in CPU;
 *   - store / withCard: VaultService end to end against the database (DATABASE_URL or the embedded
 *     default), one transaction per store, one SELECT per withCard.
 * Prints ops/s and µs per operation. Uses a throwaway keyring and merchant; deletes its rows afterwards.
 */
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DataSource } from 'typeorm';

import { CardRepository } from '../src/pci/vault/card.repository';
import { decryptField, encryptField, newDataKey, unwrapDataKey, wrapDataKey } from '../src/pci/vault/crypto/envelope';
import { FileKeyringSource } from '../src/pci/vault/crypto/file-keyring-source';
import { Keyring } from '../src/pci/vault/crypto/keyring';
import { VaultService } from '../src/pci/vault/vault.service';
import { MetricsService } from '../src/platform/metrics/metrics.service';
import { openVault } from './vault-common';

const CARD = {
  pan: '4111111111111111',
  expiryMonth: '12',
  expiryYear: '34',
  cvv: '123',
  brands: ['VISA'],
  bin: '41111111',
  last4: '1111',
  cardholderName: { fullName: 'Bench Mark' },
};

function report(name: string, n: number, ms: number): void {
  console.log(`${name.padEnd(34)} ${String(Math.round((n / ms) * 1000)).padStart(9)} ops/s ${((ms * 1000) / n).toFixed(1).padStart(9)} µs/op`);
}

async function time(name: string, n: number, op: (i: number) => unknown, concurrency = 1): Promise<void> {
  for (let i = 0; i < Math.min(200, n); i++) await op(i); // warm-up
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++);
    }),
  );
  report(name, n, Number(process.hrtime.bigint() - start) / 1e6);
}

function envelopeOnly(keyring: Keyring): { store: () => unknown; open: () => unknown } {
  const kek = keyring.active();
  const id = randomUUID();
  const aad = (field: string) => ({ recordId: id, field, keyVersion: kek.version });
  const seal = () => {
    const dek = newDataKey();
    const out = {
      wrapped: wrapDataKey(dek, kek, id),
      pan: encryptField(Buffer.from(CARD.pan), dek, aad('pan')),
      expiry: encryptField(Buffer.from('12/34'), dek, aad('expiry')),
      holder: encryptField(Buffer.from(JSON.stringify(CARD.cardholderName)), dek, aad('holder')),
      cvv: encryptField(Buffer.from(CARD.cvv), dek, aad('cvv')),
    };
    dek.fill(0);
    return out;
  };
  const sealed = seal();
  const open = () => {
    const dek = unwrapDataKey(sealed.wrapped, kek, id);
    for (const f of ['pan', 'expiry', 'holder', 'cvv'] as const) decryptField(sealed[f], dek, aad(f));
    dek.fill(0);
  };
  return { store: seal, open };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-bench-'));
  const keyring = new Keyring(new FileKeyringSource(path.join(dir, 'keyring.json')));
  const n = Number(process.env.BENCH_N ?? 20000);
  console.log(`vault bench on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  const env = envelopeOnly(keyring);
  await time('envelope store (DEK+wrap+4 fields)', n, env.store);
  await time('envelope open (unwrap+4 fields)', n, env.open);
  await time('keyring.active() (stat per call)', n, () => keyring.active());

  const vault = await openVault(8);
  const db: DataSource = vault.db;
  const service = new VaultService(new CardRepository(db), keyring, new MetricsService());
  const [merchant] = await db.query(`INSERT INTO merchant (client_id, name) VALUES ($1, 'vault bench') RETURNING id`, [`BENCH_${Date.now()}`]);
  const dbN = Number(process.env.BENCH_DB_N ?? 3000);
  const ids: string[] = [];
  try {
    await time(
      'VaultService.store (+PG insert)',
      dbN,
      async () => {
        const c = await db.transaction((tx) => service.store(tx, merchant.id, CARD, { onFile: true, cvvTtlSeconds: 900 }));
        ids.push(c.cardId);
      },
      8,
    );
    await time('VaultService.withCard (+PG select)', dbN, (i) => service.withCard(ids[i % ids.length], async (c) => c.cardNo.length), 8);
  } finally {
    await db.query(`DELETE FROM card WHERE merchant_id = $1`, [merchant.id]);
    await db.query(`DELETE FROM merchant WHERE id = $1`, [merchant.id]);
    await vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`vault:bench failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
