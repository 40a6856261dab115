import { CollectSessionService } from '../../src/pci/card-collection/collect/collect-session.service';
import { decryptField, unwrapDataKey, VaultIntegrityError } from '../../src/pci/vault/crypto/envelope';
import { Keyring } from '../../src/pci/vault/crypto/keyring';
import { VaultService } from '../../src/pci/vault/vault.service';
import { VaultSweeper } from '../../src/pci/vault/vault-sweeper';
import { MerchantClient } from '../support/merchant-client';
import { startTestStack, TestStack } from '../support/stack';
import { cardMeta, storeCard, tokenPay } from './support';

// Jest applies testTimeout globally, not per project: the first suite also pays for a fresh database.
jest.setTimeout(60_000);

describe('vault tokens: store, pay, expire, delete', () => {
  let stack: TestStack;
  let other: MerchantClient;
  beforeAll(async () => {
    stack = await startTestStack();
    other = await stack.newMerchant();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const cvvRows = async (token: string) =>
    Number((await stack.db.query('SELECT count(*) AS n FROM card c JOIN card_secret s ON s.card_id = c.id WHERE c.token = $1', [token]))[0].n);

  it('stores a card on every path and answers a signed masked view, never the card', async () => {
    for (const path of ['/v1/cards', '/ams/api/v1/cards']) {
      const res = await storeCard(stack.merchant, { path });
      expect(res.status).toBe(200);
      expect(res.signatureValid).toBe(true);
      expect(res.body).toMatchObject({
        result: { resultStatus: 'S', resultCode: 'SUCCESS' },
        cardBin: '41173478',
        lastFour: '6383',
        cardBrand: 'VISA',
        onFile: false,
      });
      expect(res.body.cardToken).toMatch(/^tok_[A-Za-z0-9_-]{32}$/);
      expect(res.body.tokenExpiryTime).toBeDefined();
      expect(res.raw).not.toContain('4117347806156383');
      expect(res.raw).not.toContain('"123"');
    }
  });

  it('refuses an invalid card with its own code and stores nothing', async () => {
    const before = Number((await stack.db.query('SELECT count(*) AS n FROM card'))[0].n);
    const bad = await storeCard(stack.merchant, { meta: cardMeta({ cardNo: '4111111111111112' }) });
    expect(bad.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_NUMBER' });
    const amex = await storeCard(stack.merchant, { meta: cardMeta({ cardNo: '378282246310005', cvv: '123' }) });
    expect(amex.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CVV' });
    const none = await stack.merchant.post('cards', {});
    expect(none.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(Number((await stack.db.query('SELECT count(*) AS n FROM card'))[0].n)).toBe(before);
  });

  it('pays once with a one-time token, forwarding its CVV once and destroying it', async () => {
    const { body: card } = await storeCard(stack.merchant);
    expect(await cvvRows(card.cardToken)).toBe(1);
    const paid = await stack.merchant.post('payments/pay', tokenPay(card.cardToken));
    expect(paid.body.result).toMatchObject({ resultStatus: 'S' });
    expect(paid.body.paymentResultInfo).toMatchObject({ cardBin: '41173478', lastFour: '6383', cvvResultRaw: 'M' });
    expect(await cvvRows(card.cardToken)).toBe(0);
    const again = await stack.merchant.post('payments/pay', tokenPay(card.cardToken));
    expect(again.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'CARD_TOKEN_USED' });
  });

  it('lets exactly one of two concurrent payments spend a one-time token', async () => {
    const { body: card } = await storeCard(stack.merchant);
    const both = await Promise.all([0, 1].map(() => stack.merchant.post('payments/pay', tokenPay(card.cardToken))));
    const results = both.map((r) => `${r.body.result.resultStatus} ${r.body.result.resultCode}`).sort();
    expect(results).toEqual(['F CARD_TOKEN_USED', 'S SUCCESS']);
  });

  it('replays a repeated paymentRequestId with a spent one-time token', async () => {
    const { body: card } = await storeCard(stack.merchant);
    const req = tokenPay(card.cardToken);
    const first = await stack.merchant.post('payments/pay', req);
    const again = await stack.merchant.post('payments/pay', req);
    expect(again.body.paymentId).toBe(first.body.paymentId);
    expect(again.body.result.resultStatus).toBe('S');
  });

  it('pays many times with an on-file token, CVV optional, and with a merchant-sent CVV', async () => {
    const { body: card } = await storeCard(stack.merchant, { onFile: true, meta: cardMeta({ cvv: undefined }) });
    expect(card.onFile).toBe(true);
    expect(card.tokenExpiryTime).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      const paid = await stack.merchant.post('payments/pay', tokenPay(card.cardToken));
      expect(paid.body.result).toMatchObject({ resultStatus: 'S' });
    }
    const withCvv = await stack.merchant.post('payments/pay', tokenPay(card.cardToken, { cvv: '321' }));
    expect(withCvv.body.result).toMatchObject({ resultStatus: 'S' });
    const badCvv = await stack.merchant.post('payments/pay', tokenPay(card.cardToken, { cvv: '12' }));
    expect(badCvv.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CVV' });
  });

  it("never lets a merchant use or delete another merchant's token", async () => {
    const { body: card } = await storeCard(stack.merchant, { onFile: true });
    const paid = await other.post('payments/pay', tokenPay(card.cardToken));
    expect(paid.status).toBe(200);
    expect(paid.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_TOKEN' });
    const unknown = await other.post('payments/pay', tokenPay('tok_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(unknown.body.result).toEqual(paid.body.result);
    const del = await other.post('cards/delete', { cardToken: card.cardToken });
    expect(del.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_TOKEN' });
    expect((await stack.merchant.post('payments/pay', tokenPay(card.cardToken))).body.result.resultStatus).toBe('S');
  });

  it('expires one-time tokens after VAULT_TOKEN_TTL_SECONDS', async () => {
    const { body: card } = await storeCard(stack.merchant);
    await stack.db.query(`UPDATE card SET token_expires_at = now() - interval '1 second' WHERE token = $1`, [card.cardToken]);
    const paid = await stack.merchant.post('payments/pay', tokenPay(card.cardToken));
    expect(paid.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'CARD_TOKEN_EXPIRED' });
  });

  it('crypto-shreds a deleted card: the record and its wrapped data key are gone, the token is dead', async () => {
    const { body: card } = await storeCard(stack.merchant, { onFile: true });
    const paid = await stack.merchant.post('payments/pay', tokenPay(card.cardToken));
    const del = await stack.merchant.post('cards/delete', { cardToken: card.cardToken });
    expect(del.body).toMatchObject({ result: { resultStatus: 'S' }, deleted: true });
    expect(await stack.db.query('SELECT 1 FROM card WHERE token = $1', [card.cardToken])).toHaveLength(0);
    const after = await stack.merchant.post('payments/pay', tokenPay(card.cardToken));
    expect(after.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_TOKEN' });
    const inquiry = await stack.merchant.post('payments/inquiryPayment', { paymentId: paid.body.paymentId });
    expect(inquiry.body.paymentStatus).toBe('SUCCESS');
  });

  it('refuses an on-file token once the card has expired', async () => {
    const { body: card } = await storeCard(stack.merchant, { onFile: true });
    // The expiry lives only encrypted, so it is checked when the vault opens the card: write a card that
    // expired last January straight through the vault (the edge validator would refuse it).
    const vault = stack.app.get(VaultService);
    const past = String((new Date().getUTCFullYear() - 1) % 100).padStart(2, '0');
    const merchantId = (await stack.db.query('SELECT merchant_id FROM card WHERE token = $1', [card.cardToken]))[0].merchant_id;
    const stored = await stack.db.transaction((tx) =>
      vault.store(
        tx,
        merchantId,
        { pan: '4111111111111111', expiryMonth: '01', expiryYear: past, brands: ['VISA'], bin: '41111111', last4: '1111' },
        { onFile: true, cvvTtlSeconds: 60 },
      ),
    );
    const paid = await stack.merchant.post('payments/pay', tokenPay(stored.token));
    expect(paid.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'CARD_EXPIRED' });
  });

  it('shreds a stored card 90 days after its expiry month, and leaves valid ones', async () => {
    const vault = stack.app.get(VaultService);
    const merchantId = (await stack.db.query('SELECT id FROM merchant WHERE client_id = $1', [stack.merchant.clientId]))[0].id;
    const store = (expiryYear: string) =>
      stack.db.transaction((tx) =>
        vault.store(
          tx,
          merchantId,
          { pan: '4111111111111111', expiryMonth: '01', expiryYear, brands: ['VISA'], bin: '41111111', last4: '1111' },
          { onFile: true, cvvTtlSeconds: 60 },
        ),
      );
    const lastYear = String((new Date().getUTCFullYear() - 2) % 100).padStart(2, '0');
    const [dead, valid] = [await store(lastYear), (await storeCard(stack.merchant, { onFile: true })).body];
    let purged = 0;
    for (let i = 0; i < 5 && (await stack.db.query('SELECT 1 FROM card WHERE id = $1', [dead.cardId])).length; i++)
      purged += (await stack.app.get(VaultSweeper).sweep()).expiredCards;
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await stack.db.query('SELECT 1 FROM card WHERE id = $1', [dead.cardId])).toHaveLength(0);
    expect(await stack.db.query('SELECT 1 FROM card WHERE token = $1', [valid.cardToken])).toHaveLength(1);
  });

  it('sweeps a CVV past its TTL', async () => {
    const { body: card } = await storeCard(stack.merchant);
    await stack.db.query(`UPDATE card_secret SET expires_at = now() - interval '1 second' WHERE card_id = (SELECT id FROM card WHERE token = $1)`, [
      card.cardToken,
    ]);
    const swept = await stack.app.get(VaultSweeper).sweep();
    expect(swept.cvvs).toBeGreaterThanOrEqual(1);
    expect(await cvvRows(card.cardToken)).toBe(0);
  });

  it('deletes hosted-page sessions a day after they expired, and only those', async () => {
    const merchantId = (await stack.db.query('SELECT id FROM merchant WHERE client_id = $1', [stack.merchant.clientId]))[0].id;
    await stack.app.get(CollectSessionService).setAllowedOrigins(merchantId, ['https://shop.example']);
    const open = async () => (await stack.merchant.post('cards/collectSession', { parentOrigin: 'https://shop.example' })).body.sessionId as string;
    const [old, recent, live] = [await open(), await open(), await open()];
    await stack.db.query(`UPDATE card_collect_session SET expires_at = now() - interval '25 hours' WHERE id = $1`, [old]);
    await stack.db.query(`UPDATE card_collect_session SET expires_at = now() - interval '1 hour' WHERE id = $1`, [recent]);
    const swept = await stack.app.get(VaultSweeper).sweep();
    expect(swept.sessions).toBeGreaterThanOrEqual(1);
    const left: Array<{ id: string }> = await stack.db.query('SELECT id FROM card_collect_session WHERE id = ANY($1)', [[old, recent, live]]);
    expect(left.map((r) => r.id).sort()).toEqual([recent, live].sort());
  });

  it('a CVV ciphertext captured before the authorization (WAL, backup) is unreadable after it: its own key is gone, the card key does not open it', async () => {
    const { body: card } = await storeCard(stack.merchant, { onFile: true });
    const [captured] = await stack.db.query(
      `SELECT c.id, c.kek_version, c.field_key_version, c.wrapped_dek, s.cvv_enc FROM card c JOIN card_secret s ON s.card_id = c.id WHERE c.token = $1`,
      [card.cardToken],
    );
    expect(captured.cvv_enc).toBeInstanceOf(Buffer);
    const paid = await stack.merchant.post('payments/pay', tokenPay(card.cardToken));
    expect(paid.body.result.resultStatus).toBe('S');
    expect(await cvvRows(card.cardToken)).toBe(0);
    expect(await stack.db.query('SELECT 1 FROM cvv_key WHERE card_id = $1', [captured.id])).toHaveLength(0);
    // Everything the database and the keyring still hold for this card: its data key, under its KEK.
    const dek = unwrapDataKey(captured.wrapped_dek, stack.app.get(Keyring).get(captured.kek_version), captured.id);
    for (const keyVersion of new Set([captured.field_key_version, captured.kek_version])) {
      expect(() => decryptField(captured.cvv_enc, dek, { recordId: captured.id, field: 'cvv', keyVersion })).toThrow(VaultIntegrityError);
    }
    // and no other CVV key row could stand in: the table holds only live CVVs' keys.
    const orphans = await stack.db.query(
      'SELECT count(*)::int AS n FROM cvv_key k LEFT JOIN card_secret s ON s.card_id = k.card_id WHERE s.card_id IS NULL',
    );
    expect(orphans[0].n).toBe(0);
  });

  it('leaves no CVV ciphertext behind any completed payment', async () => {
    const rows = await stack.db.query(
      `SELECT count(*) AS n FROM payment p JOIN card_secret s ON s.card_id = p.card_id WHERE p.status IN ('SUCCEEDED', 'FAILED', 'AUTHORIZED')`,
    );
    expect(Number(rows[0].n)).toBe(0);
  });
});
