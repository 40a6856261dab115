import * as http from 'node:http';

/**
 * The buyer's part of a 3DS challenge, as a browser would do it: open the page the pay's `normalUrl` names
 * (following redirects), and submit its form with the chosen button. No connection is kept (nothing left open to
 * hold Jest).
 */
export async function answerChallenge(url: string, action: 'approve' | 'fail' | 'abandon'): Promise<void> {
  let at = url;
  let page = await request(at, 'GET');
  for (let hops = 0; page.status >= 300 && page.status < 400 && page.location; hops++) {
    if (hops > 5) throw new Error(`too many redirects from ${url}`);
    at = new URL(page.location, at).toString();
    page = await request(at, 'GET');
  }
  const form = /<form method="post" action="([^"]+)"/.exec(page.body);
  if (page.status !== 200 || !form) throw new Error(`no challenge form at ${at} (HTTP ${page.status})`);
  const done = await request(new URL(form[1], at).toString(), 'POST', new URLSearchParams({ otp: '123456', action }).toString());
  if (done.status >= 400) throw new Error(`the challenge answered HTTP ${done.status}`);
}

function request(url: string, method: string, body?: string): Promise<{ status: number; location?: string; body: string }> {
  const headers: http.OutgoingHttpHeaders =
    body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
