import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { FastifyReply, FastifyRequest } from 'fastify';
import { mock } from 'jest-mock-extended';

import { CollectPageController } from '../../src/pci/card-collection/collect/collect-page.controller';
import { COLLECT_CSS, COLLECT_JS, collectPageHtml, sriOf } from '../../src/pci/card-collection/collect/collect-page-assets';
import { CollectSessionService } from '../../src/pci/card-collection/collect/collect-session.service';
import { CSP_REPORT_PATH } from '../../src/platform/http/csp-report';

/*
 * PCI DSS 6.4.3 (inventory of the payment page's scripts, each authorized and its integrity assured) and 11.6.1
 * (change detection): compliance/hosted-page-scripts.json lists, per release, each script and stylesheet the
 * hosted card page loads with the SHA-256 and SRI of the bytes served. A changed asset without a reviewed entry,
 * or a new script on the page, fails here.
 */
const ROOT = path.join(__dirname, '../..');
const inventory = JSON.parse(readFileSync(path.join(ROOT, 'compliance/hosted-page-scripts.json'), 'utf8'));
const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const SERVED: Record<string, string> = { '/collect/assets/collect.js': COLLECT_JS, '/collect/assets/collect.css': COLLECT_CSS };
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe("the hosted card page's script inventory (PCI DSS 6.4.3, 11.6.1)", () => {
  const release = inventory.releases[version];

  it('has an entry for this release (package.json version)', () => {
    expect(release).toBeDefined();
  });

  it('each listed script and stylesheet matches the bytes served: SHA-256 and SRI', () => {
    for (const s of [
      ...release.scripts.map((x: { src: string }) => ({ ...x, url: x.src })),
      ...release.styles.map((x: { href: string }) => ({ ...x, url: x.href })),
    ]) {
      const served = SERVED[s.url];
      expect([s.url, typeof served]).toEqual([s.url, 'string']);
      expect([s.url, sha256(served)]).toEqual([s.url, s.sha256]);
      expect([s.url, sriOf(served)]).toEqual([s.url, s.integrity]);
    }
  });

  it('the page loads exactly the listed scripts (no inline script, nothing unlisted) with the listed SRI', () => {
    const html = collectPageHtml({ sessionId: `cs_${'a'.repeat(32)}`, parentOrigin: 'https://shop.example', nonce: 'n0nce' });
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[2].trim())).toEqual(scripts.map(() => '')); // no inline code
    const loaded = scripts.map((m) => ({ src: /\bsrc="([^"]+)"/.exec(m[1])?.[1], integrity: /\bintegrity="([^"]+)"/.exec(m[1])?.[1] }));
    expect(loaded).toEqual(release.scripts.map((s: { src: string; integrity: string }) => ({ src: s.src, integrity: s.integrity })));
    const styles = [...html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*>/g)].map((m) => ({
      href: /\bhref="([^"]+)"/.exec(m[0])?.[1],
      integrity: /\bintegrity="([^"]+)"/.exec(m[0])?.[1],
    }));
    expect(styles).toEqual(release.styles.map((s: { href: string; integrity: string }) => ({ href: s.href, integrity: s.integrity })));
  });

  it('a changed script is caught: the inventory hash no longer matches', () => {
    const script = release.scripts[0];
    expect(sha256(`${COLLECT_JS}/* injected */`)).not.toBe(script.sha256);
  });

  it("the page's CSP reports violations to the gateway (report-uri and report-to with Reporting-Endpoints)", async () => {
    const sessions = mock<CollectSessionService>();
    sessions.open.mockResolvedValue({
      id: `cs_${'a'.repeat(32)}`,
      merchantId: 'm',
      parentOrigin: 'https://shop.example',
      onFile: false,
      framed: true,
      redirectUrl: null,
    });
    const headers: Record<string, string> = {};
    const reply = mock<FastifyReply>();
    reply.header.mockImplementation((k: string, v: unknown) => {
      headers[k.toLowerCase()] = String(v);
      return reply;
    });
    reply.status.mockReturnValue(reply);
    (reply as unknown as { raw: unknown }).raw = { removeHeader: () => undefined };
    await new CollectPageController(sessions).page(`cs_${'a'.repeat(32)}`, { headers: {} } as FastifyRequest, reply);
    expect(headers['content-security-policy']).toContain(`report-uri ${CSP_REPORT_PATH}`);
    expect(headers['content-security-policy']).toMatch(/report-to csp-endpoint/);
    expect(headers['reporting-endpoints']).toBe(`csp-endpoint="${CSP_REPORT_PATH}"`);
  });
});
