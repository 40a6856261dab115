import { Browser, chromium } from 'playwright-core';

import { CollectSessionService } from '../../src/pci/card-collection/collect/collect-session.service';
import { MerchantClient } from '../support/merchant-client';
import { startTestStack, TestStack } from '../support/stack';
import { tokenPay } from '../vault/support';
import { MerchantPage, startMerchantPage } from './merchant-page';

// Jest applies testTimeout globally, not per project: the first suite also pays for a fresh database.
jest.setTimeout(60_000);

const PAN = '4111111111111111';
const CVV = '737';

// Browser-side expressions, evaluated in the merchant page (the test's tsconfig has no DOM types).
const MESSAGES = 'window.gatewayMessages';
const PARENT_VIEW = 'document.documentElement.outerHTML + JSON.stringify(window.gatewayMessages) + JSON.stringify(localStorage) + document.cookie';
const IFRAME_DOCUMENT = "document.getElementById('card').contentDocument";

describe('hosted card-collection page in an iframe on the merchant checkout (Chromium)', () => {
  let stack: TestStack;
  let browser: Browser;
  let shop: MerchantPage;
  let stranger: MerchantPage;
  let merchant: MerchantClient;

  beforeAll(async () => {
    stack = await startTestStack();
    merchant = stack.merchant;
    shop = await startMerchantPage(stack.gatewayUrl);
    stranger = await startMerchantPage(stack.gatewayUrl);
    const merchantId = (await stack.db.query('SELECT id FROM merchant WHERE client_id = $1', [merchant.clientId]))[0].id;
    await stack.app.get(CollectSessionService).setAllowedOrigins(merchantId, [shop.origin]);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await stranger?.close();
    await stack?.stop();
  });

  const openSession = async (parentOrigin: string, isCardOnFile = false) => {
    const res = await merchant.post('cards/collectSession', { parentOrigin, isCardOnFile });
    expect(res.signatureValid).toBe(true);
    return res;
  };

  it('collects the card in the iframe, hands the token to the parent by postMessage, and the token pays (S)', async () => {
    const session = await openSession(shop.origin);
    expect(session.body.result.resultStatus).toBe('S');
    expect(session.body.collectUrl).toMatch(new RegExp(`/collect/${session.body.sessionId}$`));
    shop.setIframe(`${stack.gatewayUrl}/collect/${session.body.sessionId}`);

    const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Asia/Tokyo', viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    await page.goto(shop.origin);
    const frame = page.frameLocator('#card');
    await frame.locator('#cardNo').fill(PAN);
    await frame.locator('#expiryMonth').fill('12');
    await frame.locator('#expiryYear').fill('34');
    await frame.locator('#cvv').fill(CVV);
    await frame.locator('#holder').fill('Grace Hopper');
    await frame.locator('#submit').click();
    await page.waitForFunction(`${MESSAGES}.length > 0`, undefined, { timeout: 15000 });

    const messages = (await page.evaluate(MESSAGES)) as Record<string, unknown>[];
    expect(messages).toEqual([
      {
        type: 'gateway.cardToken',
        cardToken: expect.stringMatching(/^tok_/),
        cardBin: '41111111',
        lastFour: '1111',
        cardBrand: 'VISA',
        onFile: false,
      },
    ]);

    // The card never passed through the merchant page: not in its DOM, its JS state, nor its server.
    const parentView = (await page.evaluate(PARENT_VIEW)) as string;
    expect(parentView).not.toContain(PAN);
    expect(parentView).not.toContain(CVV);
    expect(await page.evaluate(IFRAME_DOCUMENT)).toBeNull();
    expect(shop.requests.join('\n')).not.toContain(PAN);
    // The iframe cleared its fields once the card was stored.
    expect(await frame.locator('#cardNo').inputValue()).toBe('');

    // The buyer environment was gathered for the payment's env.
    const token = messages[0].cardToken as string;
    const [row] = await stack.db.query('SELECT buyer_env FROM card WHERE token = $1', [token]);
    expect(row.buyer_env).toMatchObject({
      terminalType: 'WEB',
      clientIp: '127.0.0.1',
      colorDepth: expect.any(Number),
      screenWidth: expect.any(Number),
      screenHeight: expect.any(Number),
      timeZoneOffset: -540,
      browserInfo: {
        javaScriptEnabled: true,
        javaEnabled: false,
        language: 'de-DE',
        acceptHeader: expect.stringContaining('text/html'),
        userAgent: expect.stringContaining('Chrome'),
      },
    });

    // The merchant pays server-to-server with the token, sending no env: the page's is used.
    const req = tokenPay(token);
    delete req.env;
    delete req.order.env;
    const paid = await merchant.post('payments/pay', req);
    expect(paid.body.result).toMatchObject({ resultStatus: 'S', resultCode: 'SUCCESS' });
    expect(paid.body.paymentResultInfo).toMatchObject({ cardBin: '41111111', lastFour: '1111' });
    const cvvLeft = await stack.db.query('SELECT 1 FROM card_secret s JOIN card c ON c.id = s.card_id WHERE c.token = $1', [token]);
    expect(cvvLeft).toHaveLength(0);

    // The session is spent: the page is gone and a second card cannot be posted to it.
    const again = await fetch(`${stack.gatewayUrl}/collect/${session.body.sessionId}`);
    expect(again.status).toBe(404);
    await context.close();
  });

  it('serves the page with a strict CSP: nonce script, no inline code, framing only by the allowed origin', async () => {
    const session = await openSession(shop.origin);
    const res = await fetch(`${stack.gatewayUrl}/collect/${session.body.sessionId}`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    const html = await res.text();
    const nonce = /nonce="([^"]+)"/.exec(html)![1];
    expect(csp).toContain(`script-src 'nonce-${nonce}'`);
    expect(csp).toContain(`frame-ancestors ${shop.origin}`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is an external file
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
    const second = await fetch(`${stack.gatewayUrl}/collect/${session.body.sessionId}`);
    expect(/nonce="([^"]+)"/.exec(await second.text())![1]).not.toBe(nonce);
  });

  it('refuses to be framed by an origin the merchant did not allow', async () => {
    const refused = await openSession(stranger.origin);
    expect(refused.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ACCESS_DENIED' });
    // Even with a valid session of the shop, a stranger's page embedding it gets nothing.
    const session = await openSession(shop.origin);
    stranger.setIframe(`${stack.gatewayUrl}/collect/${session.body.sessionId}`);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stranger.origin);
    await page.waitForTimeout(1500);
    const child = page.frames().find((f) => f !== page.mainFrame())!;
    expect(await child.$('#cardNo')).toBeNull();
    // Control: the very same session URL renders inside the allowed shop's page.
    shop.setIframe(`${stack.gatewayUrl}/collect/${session.body.sessionId}`);
    await page.goto(shop.origin);
    await page.frameLocator('#card').locator('#cardNo').waitFor({ timeout: 10000 });
    await context.close();
  });

  it('shows validation errors in the page, keeps the session for a retry, and closes it after too many attempts', async () => {
    const session = await openSession(shop.origin);
    const post = (body: object) =>
      fetch(`${stack.gatewayUrl}/collect/${session.body.sessionId}/card`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ result: Record<string, unknown> }>);
    const bad = await post({ cardNo: '4111111111111112', expiryMonth: '12', expiryYear: '34', cvv: '123' });
    expect(bad.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_CARD_NUMBER' });
    expect(JSON.stringify(bad)).not.toContain('4111111111111112');
    const plain = await fetch(`${stack.gatewayUrl}/collect/${session.body.sessionId}/card`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(((await plain.json()) as { result: Record<string, unknown> }).result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    for (let i = 0; i < 4; i++) await post({ cardNo: 'x' });
    const closed = await post({ cardNo: PAN, expiryMonth: '12', expiryYear: '34', cvv: '123' });
    expect(closed.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_IS_CLOSED' });
  });

  it('answers 404 for an unknown session', async () => {
    expect((await fetch(`${stack.gatewayUrl}/collect/cs_${'A'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${stack.gatewayUrl}/collect/nope`)).status).toBe(404);
  });
});
