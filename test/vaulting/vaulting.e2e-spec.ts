import { randomUUID } from 'node:crypto';

import { Browser } from 'playwright-core';

import { loadPublicKey } from '../../src/antom/keys';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { launchChromium } from '../support/browser';
import { goDecodeProblems } from '../support/go-decode';
import { GO_ROOTS } from '../support/go-sdk-models';
import { MerchantClient } from '../support/merchant-client';
import { NotifyReceiver } from '../support/notify-receiver';
import { startTestStack, TestStack } from '../support/stack';
import { cardMeta, tokenPay } from '../vault/support';

jest.setTimeout(60_000);

const PAN = '4117347806156383';
const CVV = '123';

/**
 * Antom's vaulting APIs through the gateway (vaults/createVaultingSession, vaultPaymentMethod,
 * inquireVaulting, notifyVaulting): server to server and through the hosted card page in Chromium; the
 * vault token pays, captures and serves MIT; replays are idempotent; bad input is F with a precise code.
 * Every answer and notification is decoded with the Go SDK's JSON types (support/go-sdk-models.ts).
 */
describe("vaulting in Antom's shapes", () => {
  let stack: TestStack;
  let merchant: MerchantClient;
  let receiver: NotifyReceiver;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack({ NOTIFY_TIME_SCALE: '0.001', WORKER_POLL_MS: '20' });
    merchant = stack.merchant;
    receiver = await new NotifyReceiver(loadPublicKey(stack.app.get(GatewaySigningKey).publicKeyPem)).start();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await stack?.stop();
  });

  const expectGoDecodes = (body: unknown, root: keyof typeof GO_ROOTS) => expect(goDecodeProblems(body, root)).toEqual([]);
  const notifyUrl = () => `${receiver.url}/antom/vaulting`;
  const vault = (vaultingRequestId: string, card: Record<string, unknown> = cardMeta(), extra: Record<string, unknown> = {}) =>
    merchant.post('vaults/vaultPaymentMethod', {
      vaultingRequestId,
      vaultingNotificationUrl: notifyUrl(),
      paymentMethodDetail: { paymentMethodDetailType: 'CARD', card },
      ...extra,
    });
  const vaultingRows = async () =>
    Number(
      (
        await stack.db.query(
          'SELECT (SELECT count(*) FROM vaulting) + (SELECT count(*) FROM card) + (SELECT count(*) FROM card_collect_session) AS n',
        )
      )[0].n,
    );
  const noticeFor = (id: string) => receiver.waitFor((b) => b.vaultingRequestId === id, 1, 15_000);
  const expectNoCardData = (raw: string) => {
    expect(raw).not.toContain(PAN);
    expect(raw).not.toMatch(/"(cardNo|cvv|expiryMonth|expiryYear)"/);
  };

  it('vaultPaymentMethod server to server: S with the masked card; notifyVaulting signed; the token pays, captures and serves MIT', async () => {
    const id = `VAULT_${randomUUID()}`;
    const res = await vault(id);
    expect(res.status).toBe(200);
    expect(res.signatureValid).toBe(true);
    expect(res.body).toEqual({
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
      vaultingRequestId: id,
      paymentMethodDetail: {
        paymentMethodDetailType: 'CARD',
        paymentMethodType: 'CARD',
        card: { cardToken: expect.stringMatching(/^tok_/), brand: 'VISA', bin: '41173478', lastFour: '6383', maskedCardNo: '4117********6383' },
      },
    });
    expectNoCardData(res.raw);
    expectGoDecodes(res.body, 'vaultPaymentMethod');
    const token = res.body.paymentMethodDetail.card.cardToken;
    const [card] = await stack.db.query('SELECT on_file, token_expires_at FROM card WHERE token = $1', [token]);
    expect(card).toEqual({ on_file: true, token_expires_at: null });

    const [notice] = await noticeFor(id);
    expect(notice.signatureValid).toBe(true);
    expect(notice.path).toBe('/antom/vaulting');
    expect(notice.body).toEqual({
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
      vaultingRequestId: id,
      vaultingStatus: 'SUCCESS',
      paymentMethodDetail: res.body.paymentMethodDetail,
      vaultingCreateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/),
    });
    expectNoCardData(notice.raw);
    expectGoDecodes(notice.body, 'notifyVaulting');

    const inquiry = await merchant.post('vaults/inquireVaulting', { vaultingRequestId: id });
    expect(inquiry.signatureValid).toBe(true);
    expect(inquiry.body).toEqual({
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
      vaultingRequestId: id,
      vaultingStatus: 'SUCCESS',
      paymentMethodDetail: res.body.paymentMethodDetail,
    });
    expectGoDecodes(inquiry.body, 'inquireVaulting');

    // A MIT before any customer-initiated payment has no consent to quote: refused as for every on-file token.
    const early = await merchant.post('payments/pay', tokenPay(token, { recurringType: 'UNSCHEDULED' }));
    expect(early.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ACCESS_DENIED' });

    const payReq = tokenPay(token);
    payReq.paymentFactor = { ...payReq.paymentFactor, captureMode: 'MANUAL' };
    const pay = await merchant.post('payments/pay', payReq);
    expect(pay.body.result).toMatchObject({ resultStatus: 'S' });
    expect(pay.body.paymentResultInfo.cardToken).toBe(token);
    const capture = await merchant.post('payments/capture', {
      captureRequestId: randomUUID(),
      paymentId: pay.body.paymentId,
      captureAmount: payReq.paymentAmount,
    });
    expect(capture.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });

    const [consent] = await stack.db.query('SELECT consent_at, network_transaction_id FROM card WHERE token = $1', [token]);
    expect(consent.consent_at).not.toBeNull();
    const mit = await merchant.post('payments/pay', tokenPay(token, { recurringType: 'SCHEDULED' }));
    expect(mit.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(mit.body.paymentResultInfo.cardToken).toBe(token);
  });

  it('is idempotent on vaultingRequestId: a replay (even concurrent) gets the same answer and one card; another card gets REPEAT_REQ_INCONSISTENT', async () => {
    const id = `VAULT_${randomUUID()}`;
    const [a, b] = await Promise.all([vault(id), vault(id)]);
    expect(a.body.result.resultStatus).toBe('S');
    expect(b.body).toEqual(a.body);
    const again = await vault(id);
    expect(again.body).toEqual(a.body);
    const tokens = await stack.db.query(
      `SELECT count(*)::int AS n FROM card c JOIN vaulting v ON v.card_id = c.id WHERE v.vaulting_request_id = $1`,
      [id],
    );
    expect(tokens[0].n).toBe(1);
    const cards = await stack.db.query(`SELECT count(*)::int AS n FROM card WHERE token = $1`, [a.body.paymentMethodDetail.card.cardToken]);
    expect(cards[0].n).toBe(1);
    await noticeFor(id);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.matching((n) => n.vaultingRequestId === id)).toHaveLength(1);

    const other = await vault(id, cardMeta({ cardNo: '5555555555554444' }));
    expect(other.signatureValid).toBe(true);
    expect(other.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT' });
    const asSession = await merchant.post('vaults/createVaultingSession', { paymentMethodType: 'CARD', vaultingRequestId: id });
    expect(asSession.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT' });
  });

  it('createVaultingSession → the hosted page in Chromium → notifyVaulting → the token pays', async () => {
    const id = `VSESSION_${randomUUID()}`;
    const redirectUrl = `${receiver.url}/shop/vaulted?order=42`;
    const session = await merchant.post('vaults/createVaultingSession', {
      paymentMethodType: 'CARD',
      vaultingRequestId: id,
      vaultingNotificationUrl: notifyUrl(),
      redirectUrl,
      is3DSAuthentication: false,
    });
    expect(session.signatureValid).toBe(true);
    expect(session.body).toEqual({
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
      vaultingSessionData: expect.stringMatching(/^cs_/),
      vaultingSessionId: expect.any(String),
      vaultingSessionExpiryTime: expect.stringMatching(/\+00:00$/),
      normalUrl: `${stack.gatewayUrl}/collect/${session.body.vaultingSessionData}`,
    });
    expectGoDecodes(session.body, 'createVaultingSession');
    expect(new Date(session.body.vaultingSessionExpiryTime).getTime()).toBeGreaterThan(Date.now());
    const replay = await merchant.post('vaults/createVaultingSession', {
      paymentMethodType: 'CARD',
      vaultingRequestId: id,
      vaultingNotificationUrl: notifyUrl(),
      redirectUrl,
      is3DSAuthentication: false,
    });
    expect(replay.body).toEqual(session.body);

    // Before the buyer is done: U with the page, from vaultPaymentMethod and inquireVaulting alike.
    const pending = await merchant.post('vaults/vaultPaymentMethod', { vaultingRequestId: id });
    expect(pending.body).toEqual({
      result: expect.objectContaining({ resultStatus: 'U', resultCode: 'VERIFICATION_IN_PROCESS' }),
      vaultingRequestId: id,
      normalUrl: session.body.normalUrl,
    });
    expectGoDecodes(pending.body, 'vaultPaymentMethod');
    const processing = await merchant.post('vaults/inquireVaulting', { vaultingRequestId: id });
    expect(processing.body).toMatchObject({ result: { resultStatus: 'S' }, vaultingStatus: 'PROCESSING', normalUrl: session.body.normalUrl });

    const context = await browser.newContext();
    const page = await context.newPage();
    const opened = await page.goto(session.body.normalUrl);
    expect(opened!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.fill('#cardNo', PAN);
    await page.fill('#expiryMonth', '12');
    await page.fill('#expiryYear', '34');
    await page.fill('#cvv', CVV);
    await page.fill('#holder', 'Grace Hopper');
    await page.click('#submit');
    await page.waitForURL(redirectUrl, { timeout: 15_000 });
    expect(receiver.returns).toContain('/shop/vaulted?order=42');
    await context.close();

    const [notice] = await noticeFor(id);
    expect(notice.signatureValid).toBe(true);
    expect(notice.body).toMatchObject({ result: { resultStatus: 'S', resultCode: 'SUCCESS' }, vaultingRequestId: id, vaultingStatus: 'SUCCESS' });
    expectNoCardData(notice.raw);
    expectGoDecodes(notice.body, 'notifyVaulting');
    const token = notice.body.paymentMethodDetail.card.cardToken;
    expect(notice.body.paymentMethodDetail.card).toEqual({
      cardToken: expect.stringMatching(/^tok_/),
      brand: 'VISA',
      bin: '41173478',
      lastFour: '6383',
      maskedCardNo: '4117********6383',
    });

    const done = await merchant.post('vaults/vaultPaymentMethod', { vaultingRequestId: id });
    expect(done.body).toEqual({
      result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success.' },
      vaultingRequestId: id,
      paymentMethodDetail: notice.body.paymentMethodDetail,
    });
    const inquiry = await merchant.post('vaults/inquireVaulting', { vaultingRequestId: id });
    expect(inquiry.body).toMatchObject({ vaultingStatus: 'SUCCESS', paymentMethodDetail: notice.body.paymentMethodDetail });
    expect(inquiry.body.normalUrl).toBeUndefined();

    // The page is spent; the token pays (CIT with the page's CVV), then serves MIT.
    const again = await fetch(session.body.normalUrl);
    expect(again.status).toBe(404);
    const pay = await merchant.post('payments/pay', tokenPay(token));
    expect(pay.body.result).toMatchObject({ resultStatus: 'S' });
    const mit = await merchant.post('payments/pay', tokenPay(token, { recurringType: 'UNSCHEDULED' }));
    expect(mit.body.result).toMatchObject({ resultStatus: 'S' });
  });

  it('vaultPaymentMethod with the card completes an open session server to server: S, notifyVaulting, the page is gone', async () => {
    const id = `VSESSION_${randomUUID()}`;
    const session = await merchant.post('vaults/createVaultingSession', {
      paymentMethodType: 'CARD',
      vaultingRequestId: id,
      vaultingNotificationUrl: notifyUrl(),
    });
    expect((await fetch(session.body.normalUrl)).status).toBe(200);
    const [a, b] = await Promise.all([vault(id), vault(id, cardMeta({ cardNo: '5555555555554444' }))]);
    // One card completes the session; the other request gets that same final result.
    expect(a.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(b.body).toEqual(a.body);
    expectGoDecodes(a.body, 'vaultPaymentMethod');
    const [notice] = await noticeFor(id);
    expect(notice.body.paymentMethodDetail).toEqual(a.body.paymentMethodDetail);
    expect((await fetch(session.body.normalUrl)).status).toBe(404);
    const cards = await stack.db.query(`SELECT count(*)::int AS n FROM card_collect_session s JOIN card c ON c.id = s.card_id WHERE s.id = $1`, [
      session.body.vaultingSessionData,
    ]);
    expect(cards[0].n).toBe(1);
    expect((await merchant.post('vaults/inquireVaulting', { vaultingRequestId: id })).body).toMatchObject({
      vaultingStatus: 'SUCCESS',
      paymentMethodDetail: a.body.paymentMethodDetail,
    });
    const pay = await merchant.post('payments/pay', tokenPay(a.body.paymentMethodDetail.card.cardToken));
    expect(pay.body.result).toMatchObject({ resultStatus: 'S' });
  });

  it('keeps the env sent with the card (its validated fields) for the first payment, as the hosted page does', async () => {
    const res = await vault(`VAULT_${randomUUID()}`, cardMeta(), {
      env: { terminalType: 'WEB', clientIp: '203.0.113.7', colorDepth: 24, browserInfo: { language: 'fr-FR' }, note: 'not an Antom field' },
    });
    expect(res.body.result.resultStatus).toBe('S');
    const [row] = await stack.db.query('SELECT buyer_env FROM card WHERE token = $1', [res.body.paymentMethodDetail.card.cardToken]);
    expect(row.buyer_env).toEqual({ terminalType: 'WEB', clientIp: '203.0.113.7', colorDepth: '24', browserInfo: { language: 'fr-FR' } });
  });

  it('a session past its expiry has failed: vaultingStatus FAIL, and vaultPaymentMethod answers F', async () => {
    const id = `VSESSION_${randomUUID()}`;
    const session = await merchant.post('vaults/createVaultingSession', { paymentMethodType: 'CARD', vaultingRequestId: id });
    expect(session.body.result.resultStatus).toBe('S');
    await stack.db.query(`UPDATE vaulting SET session_expires_at = now() - interval '1 second' WHERE vaulting_request_id = $1`, [id]);
    await stack.db.query(`UPDATE card_collect_session SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      session.body.vaultingSessionData,
    ]);
    const inquiry = await merchant.post('vaults/inquireVaulting', { vaultingRequestId: id });
    expect(inquiry.body).toEqual({ result: expect.objectContaining({ resultStatus: 'S' }), vaultingRequestId: id, vaultingStatus: 'FAIL' });
    const vaulted = await merchant.post('vaults/vaultPaymentMethod', { vaultingRequestId: id });
    expect(vaulted.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_IS_CLOSED' });
    expect((await fetch(session.body.normalUrl)).status).toBe(404);
  });

  const card = (overrides: Record<string, unknown>) => ({ paymentMethodDetailType: 'CARD', card: cardMeta(overrides) });
  it.each<[string, string, Record<string, unknown>, string, RegExp]>([
    [
      'createVaultingSession',
      'no vaultingRequestId',
      { paymentMethodType: 'CARD', vaultingRequestId: undefined },
      'PARAM_ILLEGAL',
      /vaultingRequestId: is required/,
    ],
    ['createVaultingSession', 'a wallet', { paymentMethodType: 'ALIPAY_CN' }, 'PARAM_ILLEGAL', /paymentMethodType/],
    [
      'createVaultingSession',
      '3DS asked for',
      { paymentMethodType: 'CARD', is3DSAuthentication: true },
      'PARAM_ILLEGAL',
      /is3DSAuthentication: is not supported/,
    ],
    [
      'createVaultingSession',
      'merchantRegion',
      { paymentMethodType: 'CARD', merchantRegion: 'SG' },
      'PARAM_ILLEGAL',
      /merchantRegion: is not supported/,
    ],
    [
      'createVaultingSession',
      'a non-http notification URL',
      { paymentMethodType: 'CARD', vaultingNotificationUrl: 'file:///etc/passwd' },
      'PARAM_ILLEGAL',
      /vaultingNotificationUrl/,
    ],
    ['createVaultingSession', 'a number as redirectUrl', { paymentMethodType: 'CARD', redirectUrl: 7 }, 'PARAM_ILLEGAL', /redirectUrl/],
    [
      'createVaultingSession',
      'a 65-character id',
      { paymentMethodType: 'CARD', vaultingRequestId: 'x'.repeat(65) },
      'PARAM_ILLEGAL',
      /vaultingRequestId/,
    ],
    ['vaultPaymentMethod', 'no card and an unknown id', {}, 'PARAM_ILLEGAL', /paymentMethodDetail: is required/],
    [
      'vaultPaymentMethod',
      'a coupon',
      { paymentMethodDetail: { paymentMethodDetailType: 'COUPON', card: cardMeta() } },
      'PARAM_ILLEGAL',
      /paymentMethodDetail.paymentMethodDetailType/,
    ],
    [
      'vaultPaymentMethod',
      'card as a string',
      { paymentMethodDetail: { paymentMethodDetailType: 'CARD', card: PAN } },
      'PARAM_ILLEGAL',
      /paymentMethodDetail.card/,
    ],
    ['vaultPaymentMethod', 'no card number', { paymentMethodDetail: card({ cardNo: undefined }) }, 'PARAM_ILLEGAL', /cardNo/],
    ['vaultPaymentMethod', 'a Luhn-invalid number', { paymentMethodDetail: card({ cardNo: '4117347806156384' }) }, 'INVALID_CARD_NUMBER', /./],
    ['vaultPaymentMethod', 'an expired card', { paymentMethodDetail: card({ expiryYear: '20' }) }, 'INVALID_EXPIRATION_DATE', /./],
    [
      'vaultPaymentMethod',
      'MPI data',
      { paymentMethodDetail: card({ mpiData: { eci: '05' } }) },
      'PARAM_ILLEGAL',
      /paymentMethodDetail.card.mpiData: is not supported/,
    ],
    [
      'vaultPaymentMethod',
      '3DS on the card',
      { paymentMethodDetail: card({ is3DSAuthentication: true }) },
      'PARAM_ILLEGAL',
      /is3DSAuthentication: is not supported/,
    ],
    [
      'vaultPaymentMethod',
      'vaultingCurrency',
      { paymentMethodDetail: card({}), vaultingCurrency: 'EUR' },
      'PARAM_ILLEGAL',
      /vaultingCurrency: is not supported/,
    ],
    [
      'vaultPaymentMethod',
      'a redirectUrl server to server',
      { paymentMethodDetail: card({}), redirectUrl: 'https://shop.example/back' },
      'PARAM_ILLEGAL',
      /redirectUrl: is not supported/,
    ],
    [
      'vaultPaymentMethod',
      'a card number in the id',
      { paymentMethodDetail: card({}), vaultingRequestId: `V-${PAN}` },
      'PARAM_ILLEGAL',
      /vaultingRequestId: must not contain a card number/,
    ],
    ['inquireVaulting', 'an unknown id', {}, 'VAULTING_NOT_EXIST', /./],
    ['inquireVaulting', 'a number as id', { vaultingRequestId: 5 }, 'PARAM_ILLEGAL', /vaultingRequestId/],
  ])('%s with %s: F, signed, nothing written', async (api, _what, body, code, message) => {
    const before = await vaultingRows();
    const res = await merchant.post(`vaults/${api}`, { vaultingRequestId: `BAD_${randomUUID()}`, ...body });
    expect(res.status).toBe(200);
    expect(res.signatureValid).toBe(true);
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: code, resultMessage: expect.stringMatching(message) });
    expectNoCardData(res.raw);
    expect(await vaultingRows()).toBe(before);
  });

  it('another merchant sees none of it: its inquiry of the same id is VAULTING_NOT_EXIST and the token does not pay for it', async () => {
    const id = `VAULT_${randomUUID()}`;
    const mine = await vault(id);
    const other = await stack.newMerchant();
    const inquiry = await other.post('vaults/inquireVaulting', { vaultingRequestId: id });
    expect(inquiry.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'VAULTING_NOT_EXIST' });
    const pay = await other.post('payments/pay', tokenPay(mine.body.paymentMethodDetail.card.cardToken));
    expect(pay.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_TOKEN' });
  });

  it('answers on the sandbox path the SDKs use for SANDBOX_ client ids', async () => {
    const id = `VAULT_${randomUUID()}`;
    const res = await merchant.post(
      'vaults/vaultPaymentMethod',
      { vaultingRequestId: id, paymentMethodDetail: { paymentMethodDetailType: 'CARD', card: cardMeta() } },
      { path: '/ams/sandbox/api/v1/vaults/vaultPaymentMethod' },
    );
    expect(res.signatureValid).toBe(true);
    expect(res.body.result.resultStatus).toBe('S');
  });
});
