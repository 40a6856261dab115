import { AdminContext } from '../http/admin-http';
import { html, SafeHtml, when } from './html';

const NAV: { href: string; label: string; adminOnly?: boolean }[] = [
  { href: '/admin/payments', label: 'Payments' },
  { href: '/admin/disputes', label: 'Disputes' },
  { href: '/admin/approvals', label: 'Approvals' },
  { href: '/admin/notifications', label: 'Notifications' },
  { href: '/admin/audit', label: 'Audit log' },
  { href: '/admin/users', label: 'Users & limits', adminOnly: true },
  { href: '/admin/account', label: 'My account' },
];

/** Every console page: header, navigation for the signed-in role, a logout form carrying the CSRF token. */
export function layout(title: string, ctx: AdminContext | undefined, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Gateway admin</title>
<link rel="icon" href="/admin/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/admin/assets/admin.css">
<script src="/admin/assets/admin.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/admin/payments">Card gateway · admin</a>
  ${when(
    ctx,
    (c) => html`<nav>${NAV.filter((n) => !n.adminOnly || c.user.role === 'admin').map((n) => html`<a href="${n.href}">${n.label}</a>`)}</nav>
  <form method="post" action="/admin/logout" class="logout">
    ${csrfField(ctx)}
    <span class="who">${c.user.displayName} (${c.user.username}, ${c.user.role})</span>
    <button type="submit" class="link">Sign out</button>
  </form>`,
  )}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

export function csrfField(ctx: AdminContext | undefined): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx?.session.csrfToken ?? ''}">`;
}

export function fmtTime(d: Date | null | undefined): string {
  return d
    ? d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')
    : '—';
}

/** Minutes are enough in a list; the detail page shows seconds. */
export function fmtShort(d: Date | null | undefined): string {
  return d ? d.toISOString().slice(0, 16).replace('T', ' ') : '—';
}

export function notice(kind: 'ok' | 'warn' | 'error', text: string | SafeHtml): SafeHtml {
  return html`<p class="notice ${kind}" role="status">${text}</p>`;
}
