import { html, SafeHtml, when } from './html';
import { layout, notice } from './layout';

export function loginPage(csrf: string, failed: boolean, info?: string): SafeHtml {
  return layout(
    'Sign in',
    undefined,
    html`
${when(failed, () => notice('error', 'Sign-in failed. Check the user name and password; after 10 failures the account is locked for 30 minutes.'))}
${when(info, (text) => notice('ok', text))}
<form method="post" action="/admin/login" class="card narrow">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label>User name <input name="username" autocomplete="username" required maxlength="64" autofocus></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="256"></label>
  <button type="submit">Sign in</button>
</form>`,
  );
}

export function totpPage(csrf: string, failed: boolean): SafeHtml {
  return layout(
    'Second factor',
    undefined,
    html`
${when(failed, () => notice('error', 'That code was not accepted.'))}
<form method="post" action="/admin/login/totp" class="card narrow">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label>Code from your authenticator app <input name="code" autocomplete="one-time-code" required maxlength="24" autofocus></label>
  <p class="muted">Lost the authenticator? Type one of your recovery codes (XXXX-XXXX-XXXX-XXXX) instead; each works once.</p>
  <button type="submit">Continue</button>
</form>`,
  );
}
