import * as http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A merchant's checkout page on its own origin (another port): embeds the gateway's card page in an
 * iframe and records what postMessage hands it. It also records every request it receives, so a test
 * can show the card never reached the merchant's server either.
 */
export interface MerchantPage {
  origin: string;
  requests: string[];
  setIframe(url: string): void;
  close(): Promise<void>;
}

export async function startMerchantPage(gatewayOrigin: string): Promise<MerchantPage> {
  let iframeUrl = 'about:blank';
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Checkout</title></head><body>
<h1>Checkout</h1>
<iframe id="card" title="Card details" src="${iframeUrl}" width="420" height="360"></iframe>
<script>
  window.gatewayMessages = [];
  window.addEventListener('message', function (event) {
    if (event.origin !== ${JSON.stringify(gatewayOrigin)}) return;
    window.gatewayMessages.push(event.data);
  });
</script></body></html>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    setIframe: (url) => {
      iframeUrl = url;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
