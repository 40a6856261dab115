import { AdminContext } from '../http/admin-http';
import { html, SafeHtml } from './html';
import { layout, notice } from './layout';

export function errorPage(status: number, reason: string, ctx?: AdminContext): SafeHtml {
  const title = status === 403 ? 'Refused' : status === 404 ? 'Not found' : status >= 500 ? 'Error' : 'Cannot do that';
  return layout(title, ctx, html`${notice('error', reason)}<p><a href="/admin/payments">Back to payments</a></p>`);
}
