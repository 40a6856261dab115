import { Browser, chromium } from 'playwright-core';

/** Debian's Chromium, headless, never reaching outside the machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A page that can only reach this machine: anything else (e.g. the seed's merchant URLs) is answered locally. */
export async function loopbackOnlyPage(browser: Browser) {
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' || host === 'localhost'
      ? route.continue()
      : route.fulfill({ status: 200, contentType: 'text/html', body: '<p id="merchant-return">merchant page</p>' });
  });
  return context.newPage();
}

/** The buyer types a card on the acquirer's hosted page (`normalUrl`) and submits it. */
export async function payOnHostedPage(browser: Browser, normalUrl: string, cardNo: string): Promise<import('playwright-core').Page> {
  const page = await loopbackOnlyPage(browser);
  await page.goto(normalUrl);
  await page.fill('#cardNo', cardNo);
  await page.fill('#expiryMonth', '12');
  await page.fill('#expiryYear', '31');
  await page.fill('#cvv', '123');
  await page.click('button[type=submit]');
  return page;
}
