import * as path from 'node:path';

import { generateRsaKeyPair } from '../../src/antom/keys';
import { GatewayConfig } from '../../src/config/gateway-config';
import { MerchantsService } from '../../src/merchants/merchants.service';
import { FileKeyringSource } from '../../src/pci/vault/crypto/file-keyring-source';
import { Keyring } from '../../src/pci/vault/crypto/keyring';
import { KeyActionRefusedError, KeyRotation } from '../../src/pci/vault/key-rotation';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { s2sPay } from '../support/fixtures';
import { MerchantClient } from '../support/merchant-client';
import { startTestStack, TestStack } from '../support/stack';
import { ownDatabase } from './own-database';
import { cardMeta, storeCard, tokenPay } from './support';

// Jest applies testTimeout globally, not per project: the first suite also pays for a fresh database.
jest.setTimeout(60_000);

/**
 * Rotation as an operator runs it: a separate Keyring on the same keyring file (what `npm run
 * vault:rotate` opens in its own process) rotates and re-wraps while the gateway keeps paying.
 */
describe('vault: key rotation while serving, retirement, tamper detection', () => {
  let stack: TestStack;
  let operator: KeyRotation;
  let operatorKeys: Keyring;
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    database = await ownDatabase('gw_vault_rotation');
    stack = await startTestStack({ DATABASE_URL: database.url });
    const file = path.join(stack.app.get(GatewayConfig).dataDir, 'keys', 'keyring.json');
    operatorKeys = new Keyring(new FileKeyringSource(file));
    operator = new KeyRotation(stack.db, operatorKeys, 'test-operator');
  });
  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  const versionOf = async (token: string) => (await stack.db.query('SELECT kek_version AS v FROM card WHERE token = $1', [token]))[0].v;
  const events = async () =>
    (await stack.db.query('SELECT action, key_version, actor, detail FROM vault_key_event ORDER BY id')) as {
      action: string;
      key_version: number;
      actor: string;
      detail: Record<string, unknown>;
    }[];

  it('rotates under load: every payment succeeds before, during and after; old cards pay under the new key', async () => {
    const stored = await Promise.all(Array.from({ length: 12 }, () => storeCard(stack.merchant, { onFile: true })));
    const tokens = stored.map((r) => r.body.cardToken as string);
    const from = await versionOf(tokens[0]);

    // Payments in flight (token and raw card) while the operator rotates and re-wraps in small batches.
    const inFlight = [
      ...tokens.map((t) => stack.merchant.post('payments/pay', tokenPay(t))),
      ...Array.from({ length: 12 }, () => stack.merchant.post('payments/pay', s2sPay())),
    ];
    const rotation = operator.rotate(3);
    const during = await Promise.all(inFlight);
    const { version, rewrap } = await rotation;
    expect(version).toBe(from + 1);
    expect(rewrap.failed).toBe(0);
    expect(during.map((r) => r.body.result.resultStatus)).toEqual(during.map(() => 'S'));

    // The running gateway took the new version without a restart: new records are wrapped under it.
    const fresh = await storeCard(stack.merchant, { onFile: true });
    expect(await versionOf(fresh.body.cardToken)).toBe(version);
    // Straggling records written by the gateway under the old version during the switch get re-wrapped too.
    await operator.rewrap(5);
    expect(await operator.census()).toEqual({ [version]: expect.any(Number) });

    const after = await Promise.all([...tokens, fresh.body.cardToken].map((t) => stack.merchant.post('payments/pay', tokenPay(t))));
    expect(after.map((r) => r.body.result.resultStatus)).toEqual(after.map(() => 'S'));
    for (const t of tokens) expect(await versionOf(t)).toBe(version);

    // Now the old version can go, and records still pay.
    await operator.retire(from);
    expect(operatorKeys.versions().find((k) => k.version === from)?.status).toBe('retired');
    const paid = await stack.merchant.post('payments/pay', tokenPay(tokens[0]));
    expect(paid.body.result.resultStatus).toBe('S');
  });

  it('two gateway instances sharing the keyring file and database both follow a rotation without restarting', async () => {
    const config = stack.app.get(GatewayConfig);
    const second = await startTestStack({ DATABASE_URL: database.url, GATEWAY_DATA_DIR: config.dataDir });
    try {
      const keys = generateRsaKeyPair();
      const clientId = `SANDBOX_TWO${Date.now()}`;
      await stack.app.get(MerchantsService).create(clientId, 'two instances', keys.publicKeyPem);
      const gatewayKey = stack.app.get(GatewaySigningKey).publicKeyPem;
      const viaA = new MerchantClient(stack.gatewayUrl, clientId, keys.privateKeyPem, gatewayKey);
      const viaB = new MerchantClient(second.gatewayUrl, clientId, keys.privateKeyPem, gatewayKey);

      const before = (await storeCard(viaA, { onFile: true })).body.cardToken;
      const { version } = await operator.rotate();
      // B never restarted: it stores under the new version and reads A's card re-wrapped under it; and back.
      const after = (await storeCard(viaB, { onFile: true })).body.cardToken;
      expect(await versionOf(after)).toBe(version);
      expect(await versionOf(before)).toBe(version);
      for (const [client, token] of [
        [viaB, before],
        [viaA, after],
      ] as const) {
        expect((await client.post('payments/pay', tokenPay(token))).body.result.resultStatus).toBe('S');
      }
    } finally {
      await second.stop();
    }
  });

  it('refuses to retire a version that still wraps records, or the active one, and audits every action', async () => {
    const card = await storeCard(stack.merchant, { onFile: true });
    const current = await versionOf(card.body.cardToken);
    operatorKeys.rotate(); // a new version without re-wrapping: records still need `current`
    await expect(operator.retire(current)).rejects.toThrow(KeyActionRefusedError);
    await expect(operator.retire(current + 1)).rejects.toThrow(/active/);
    await operator.rewrap();
    await operator.retire(current);
    const log = await events();
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['rotate', 'rewrap', 'retire', 'retire-refused']));
    const refused = log.find((e) => e.action === 'retire-refused' && e.key_version === current)!;
    expect(refused.detail.remaining).toBeGreaterThan(0);
    expect(log.every((e) => e.actor === 'test-operator')).toBe(true);
    // Nothing in the audit looks like key material (32-byte base64 keys are 44 characters).
    expect(JSON.stringify(log)).not.toMatch(/[A-Za-z0-9+/]{43}=/);
  });

  it('keeps the key audit append-only', async () => {
    await expect(stack.db.query(`UPDATE vault_key_event SET actor = 'x'`)).rejects.toThrow(/append-only/);
    await expect(stack.db.query(`DELETE FROM vault_key_event`)).rejects.toThrow(/append-only/);
  });

  describe('detects tampering: the pay answers F with a precise code, nothing leaks, nothing goes upstream', () => {
    const tamperedPay = async (token: string) => {
      const res = await stack.merchant.post('payments/pay', tokenPay(token));
      expect(res.status).toBe(200);
      expect(res.signatureValid).toBe(true);
      expect(res.raw).not.toMatch(/4117347806156383|5555555555554444|stack|Error:/);
      return res.body;
    };

    it.each(['pan_enc', 'expiry_enc', 'wrapped_dek', 'holder_enc'])('a flipped byte in %s', async (column) => {
      const { body: card } = await storeCard(stack.merchant, { onFile: true });
      await stack.db.query(`UPDATE card SET ${column} = set_byte(${column}, 20, get_byte(${column}, 20) # 1) WHERE token = $1`, [card.cardToken]);
      const body = await tamperedPay(card.cardToken);
      expect(body.result).toMatchObject({ resultStatus: 'F', resultCode: 'CARD_DATA_INTEGRITY_ERROR' });
      const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId: body.paymentId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'CARD_DATA_INTEGRITY_ERROR' });
    });

    it.each(['pan_enc', 'wrapped_dek'])("two records' %s swapped", async (column) => {
      const a = (await storeCard(stack.merchant, { onFile: true })).body.cardToken;
      const b = (await storeCard(stack.merchant, { onFile: true, meta: cardMeta({ cardNo: '5555555555554444' }) })).body.cardToken;
      await stack.db.query(
        `UPDATE card SET ${column} = CASE token WHEN $1 THEN (SELECT ${column} FROM card WHERE token = $2) ELSE (SELECT ${column} FROM card WHERE token = $1) END WHERE token IN ($1, $2)`,
        [a, b],
      );
      for (const t of [a, b]) expect((await tamperedPay(t)).result).toMatchObject({ resultStatus: 'F', resultCode: 'CARD_DATA_INTEGRITY_ERROR' });
    });

    it('a CVV ciphertext moved to another record', async () => {
      const a = (await storeCard(stack.merchant, { onFile: true })).body.cardToken;
      const b = (await storeCard(stack.merchant, { onFile: true, meta: cardMeta({ cvv: undefined }) })).body.cardToken;
      await stack.db.query(
        `INSERT INTO card_secret (card_id, cvv_enc, expires_at) SELECT (SELECT id FROM card WHERE token = $2), s.cvv_enc, s.expires_at
           FROM card_secret s JOIN card c ON c.id = s.card_id WHERE c.token = $1`,
        [a, b],
      );
      await stack.db.query(
        `INSERT INTO cvv_key (card_id, kek_version, wrapped_key) SELECT (SELECT id FROM card WHERE token = $2), k.kek_version, k.wrapped_key
           FROM cvv_key k JOIN card c ON c.id = k.card_id WHERE c.token = $1`,
        [a, b],
      );
      expect((await tamperedPay(b)).result).toMatchObject({ resultStatus: 'F', resultCode: 'CARD_DATA_INTEGRITY_ERROR' });
    });

    it('a record relabelled to another key version', async () => {
      const { body: card } = await storeCard(stack.merchant, { onFile: true });
      await stack.db.query(`UPDATE card SET field_key_version = field_key_version + 1 WHERE token = $1`, [card.cardToken]);
      expect((await tamperedPay(card.cardToken)).result).toMatchObject({ resultStatus: 'F', resultCode: 'CARD_DATA_INTEGRITY_ERROR' });
    });

    it('a record wrapped under a retired key', async () => {
      const { body: card } = await storeCard(stack.merchant, { onFile: true });
      const retired = operatorKeys.versions().find((k) => k.status === 'retired')!.version;
      await stack.db.query(`UPDATE card SET kek_version = $2 WHERE token = $1`, [card.cardToken, retired]);
      expect((await tamperedPay(card.cardToken)).result).toMatchObject({ resultStatus: 'F', resultCode: 'CARD_KEY_UNAVAILABLE' });
    });
  });
});
