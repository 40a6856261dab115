import { FastifyReply, FastifyRequest } from 'fastify';
import * as cookie from 'cookie';
import { SafeHtml } from '../views/html';
import { AdminSession } from '../auth/sessions.service';
import { AdminUser } from '../auth/admin-users.service';

/**
 * The console's own CSP, stricter in spirit than the global one but allowing its own stylesheet and
 * script: nothing inline, nothing from elsewhere, forms only to itself, never framed.
 */
export const ADMIN_CSP = [
  "default-src 'none'", "style-src 'self'", "script-src 'self'", "img-src 'self'", "form-action 'self'",
  "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

export interface AdminContext {
  user: AdminUser;
  session: AdminSession;
}

export interface AdminRequest extends FastifyRequest {
  admin?: AdminContext;
  form?: URLSearchParams;
}

export class AdminRedirect extends Error {
  constructor(readonly location: string) {
    super('redirect');
  }
}

export class AdminRefusal extends Error {
  constructor(readonly status: number, readonly reason: string) {
    super(reason);
  }
}

export function sendPage(reply: FastifyReply, page: SafeHtml, status = 200): void {
  void reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', ADMIN_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(page.value);
}

export function redirect(reply: FastifyReply, location: string): void {
  void reply.status(303).header('location', location).header('cache-control', 'no-store').send();
}

/**
 * The gateway reads every body as a Buffer (for merchant signatures), so forms are parsed here.
 * Only urlencoded forms are accepted on the console.
 */
export function readForm(req: FastifyRequest): URLSearchParams {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) throw new AdminRefusal(415, 'Forms must be sent as application/x-www-form-urlencoded.');
  const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  return new URLSearchParams(body);
}

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return cookie.parse(header)[name];
}

export function setCookie(reply: FastifyReply, name: string, value: string, secure: boolean, maxAgeSeconds?: number): void {
  const serialized = cookie.serialize(name, value, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: maxAgeSeconds });
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  void reply.header('set-cookie', [...list, serialized]);
}

export function clearCookie(reply: FastifyReply, name: string, secure: boolean): void {
  setCookie(reply, name, '', secure, 0);
}

export function clientIp(req: FastifyRequest): string {
  return req.ip ?? 'unknown';
}
