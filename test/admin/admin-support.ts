import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Client } from 'pg';
import { Browser, chromium, Page } from 'playwright-core';

import { AdminUsersService } from '../../src/admin/auth/admin-users.service';
import { ARTIFACTS } from '../support/merchant-client';

/**
 * The admin suites run on a database of their own on the test PostgreSQL server: the first-start
 * admin account only appears on an empty database, and the tamper test must not break another
 * suite's audit chain. Dropped afterwards.
 */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `admin_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Every console page the suites fetch goes to the artifacts, so the leak scan reads them too. */
export function recordPage(body: string): void {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.appendFileSync(path.join(ARTIFACTS, 'admin-pages.jsonl'), JSON.stringify(body) + '\n');
}

export interface Answer {
  status: number;
  location: string | null;
  headers: Headers;
  body: string;
}

/**
 * A browser-less console client: keeps cookies, reads CSRF tokens from the pages, never follows redirects.
 * `headers` go with every request (X-Forwarded-For: a client address, where the stack trusts the proxy).
 */
export class AdminHttp {
  private cookies = new Map<string, string>();
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async get(p: string): Promise<Answer> {
    return this.send(p, { method: 'GET' });
  }

  async post(p: string, fields: Record<string, string | string[]>): Promise<Answer> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return this.send(p, { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** Money actions answer with a redirect to their result page (post/redirect/get): read that page. */
  async follow(answer: Answer): Promise<Answer> {
    return answer.status === 303 && answer.location ? this.get(answer.location) : answer;
  }

  /** GET a page, then POST a form with that page's CSRF token (and a fresh form id, where the page's forms carry one). */
  async submit(pagePath: string, action: string, fields: Record<string, string | string[]>): Promise<Answer> {
    const page = await this.get(pagePath);
    const formId = /name="formId" value="([0-9a-f]{32})"/.exec(page.body)?.[1];
    return this.post(action, { _csrf: csrfOf(page.body), ...(formId ? { formId } : {}), ...fields });
  }

  async login(username: string, password: string): Promise<Answer> {
    return this.submit('/admin/login', '/admin/login', { username, password });
  }

  /** First login with a one-time password: the forced change, then a normal session. */
  async firstLogin(username: string, oneTime: string, newPassword: string): Promise<void> {
    const res = await this.login(username, oneTime);
    if (res.status !== 303 || res.location !== '/admin/payments') throw new Error(`login of ${username} failed: ${res.status} ${res.location}`);
    const changed = await this.submit('/admin/account', '/admin/account/password', { current: oneTime, next: newPassword, again: newPassword });
    if (changed.status !== 303) throw new Error(`password change of ${username} failed: ${changed.status}`);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private async send(p: string, init: RequestInit): Promise<Answer> {
    const headers = new Headers({ ...this.headers, ...Object.fromEntries(new Headers(init.headers)) });
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(this.baseUrl + p, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const [k, v] = [pair.slice(0, i), pair.slice(i + 1)];
      if (v === '' || /max-age=0/i.test(c)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    const body = await res.text();
    if (body) recordPage(body);
    return { status: res.status, location: res.headers.get('location'), headers: res.headers, body };
  }
}

export function csrfOf(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Chromium on the console: every HTML page it is served goes to the artifacts, as AdminHttp's do. */
export async function openConsoleBrowser(options: { width?: number; acceptDownloads?: boolean } = {}): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: 900 }, acceptDownloads: options.acceptDownloads });
  page.on('response', async (r) => {
    if (r.url().includes('/admin') && r.headers()['content-type']?.includes('text/html')) recordPage(await r.text().catch(() => ''));
  });
  return { browser, page };
}

/** A console user with a set password (no forced change on first sign-in). */
export async function addUser(users: AdminUsersService, username: string, role: 'viewer' | 'operator' | 'admin', password: string) {
  const created = (await users.create(username, username, role))!;
  await users.setPassword(created.user.id, password, false);
  return created.user;
}

/** The login form filled in the page, after clearing the last person's cookies; where it lands is the caller's to check. */
export async function fillSignIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/admin/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

/** A browser-less client signed in (throws unless the login lands on the payments list). */
export async function signedInHttp(baseUrl: string, username: string, password: string): Promise<AdminHttp> {
  const http = new AdminHttp(baseUrl);
  const res = await http.login(username, password);
  if (res.location !== '/admin/payments') throw new Error(`sign-in of ${username} landed on ${res.status} ${res.location}`);
  return http;
}
