import { createHash } from 'node:crypto';

import { COLLECT_CSS, COLLECT_JS, collectPageHtml } from './collect-page-assets';

describe('hosted card page assets: subresource integrity (PCI DSS 6.4.3)', () => {
  it('names the SHA-384 of the exact script and stylesheet bytes the gateway serves', () => {
    const html = collectPageHtml({ sessionId: 'cs_x', parentOrigin: 'https://shop.example', nonce: 'n0nce' });
    const sha = (s: string) => `sha384-${createHash('sha384').update(Buffer.from(s, 'utf8')).digest('base64')}`;
    expect(html).toContain(`<script src="/collect/assets/collect.js" nonce="n0nce" integrity="${sha(COLLECT_JS)}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="/collect/assets/collect.css" integrity="${sha(COLLECT_CSS)}">`);
    expect(html.match(/<script/g)).toHaveLength(1);
  });
});
