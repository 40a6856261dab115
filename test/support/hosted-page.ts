/*
 * The acquirer's buyer pages (sandbox/pages.ts) driven over plain HTTP, as their HTML forms post: for
 * suites that follow a hosted-form payment to its end without a browser (test/browser and
 * test/sandbox/sandbox-pages drive the same pages in Chromium).
 */

/** Posts the card form of a hosted card page (normalUrl); `next` is where the buyer is sent (a 3DS or issuer step, or back). */
export async function typeCardOnPage(normalUrl: string, cardNo: string): Promise<{ status: number; next: string | null; html: string }> {
  const res = await fetch(normalUrl, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ cardNo, expiryMonth: '12', expiryYear: '34', cvv: '123', holder: 'Test Buyer' }),
  });
  const location = res.headers.get('location');
  return { status: res.status, next: location ? new URL(location, normalUrl).toString() : null, html: await res.text() };
}

/** Answers a 3DS challenge or Korean issuer authentication page; returns the page's title. */
export async function answerChallenge(url: string, action: 'approve' | 'fail' | 'abandon' = 'approve'): Promise<string> {
  const page = await (await fetch(url)).text();
  const title = /<h1>([^<]*)<\/h1>/.exec(page)?.[1] ?? '';
  const res = await fetch(url, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ otp: '123456', action }) });
  if (res.status !== 303) throw new Error(`challenge answer: HTTP ${res.status}`);
  return title;
}
