import '@fastify/multipart';

import { SetMetadata } from '@nestjs/common';
import * as cookie from 'cookie';
import { FastifyReply, FastifyRequest } from 'fastify';

import { AdminUser } from '../auth/admin-users.service';
import { AdminSession } from '../auth/sessions.service';
import { SafeHtml } from '../views/html';

/**
 * The console's own CSP, stricter in spirit than the global one but allowing its own stylesheet and
 * script: nothing inline, nothing from elsewhere, forms only to itself, never framed.
 */
export const ADMIN_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "script-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export interface AdminContext {
  user: AdminUser;
  session: AdminSession;
}

export interface AdminRequest extends FastifyRequest {
  admin?: AdminContext;
  form?: URLSearchParams;
  /** The one file of a multipart form, on routes marked `AcceptsUpload`. */
  upload?: { data: Buffer; mimetype: string } | null;
}

/**
 * The signed-in operator of a route behind AdminGuard, which sets it before any handler runs (a route outside the
 * guard has none: back to the login page rather than a TypeError).
 */
export function signedIn(req: AdminRequest): AdminContext {
  if (!req.admin) throw new AdminRedirect('/admin/login');
  return req.admin;
}

/** The form of a POST behind AdminGuard, read (and its CSRF token checked) there; any other request has none. */
export function formOf(req: AdminRequest): URLSearchParams {
  if (!req.form) throw new AdminRefusal(400, 'This page takes a form.');
  return req.form;
}

/** A POST route that takes multipart/form-data (one file of at most `maxBytes`); the guard reads it, CSRF field included. */
export const UPLOAD_KEY = 'adminUploadMaxBytes';
export const AcceptsUpload = (maxBytes: number) => SetMetadata(UPLOAD_KEY, maxBytes);

/**
 * A multipart form, read whole (bounded: one file of at most `maxBytes`, a few short fields). The file's
 * own name is not kept: it is the operator's free text and could hold anything.
 */
export async function readUpload(
  req: FastifyRequest,
  maxBytes: number,
): Promise<{ form: URLSearchParams; upload: { data: Buffer; mimetype: string } | null }> {
  const form = new URLSearchParams();
  let upload: { data: Buffer; mimetype: string } | null = null;
  try {
    for await (const part of req.parts({ limits: { files: 1, fields: 8, parts: 10, fieldSize: 4096, fileSize: maxBytes } })) {
      if (part.type === 'file') upload = { data: await part.toBuffer(), mimetype: part.mimetype };
      else form.append(part.fieldname, typeof part.value === 'string' ? part.value : '');
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AdminRefusal(413, `The document is larger than ${maxBytes} bytes.`);
    throw new AdminRefusal(400, 'The upload could not be read (one file and the form fields, please).');
  }
  return { form, upload };
}

export class AdminRedirect extends Error {
  constructor(readonly location: string) {
    super('redirect');
  }
}

export class AdminRefusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
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
