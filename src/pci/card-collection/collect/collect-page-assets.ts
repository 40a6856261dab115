/*
 * The hosted card page's HTML, script and stylesheet. The script and the styles are separate resources
 * (the page's CSP allows no inline code): the script loads only with the per-response nonce, styles only
 * from the gateway's own origin. Kept as strings so the compiled gateway needs no asset copying.
 */
import { createHash } from 'node:crypto';

const integrity = new Map<string, string>();

/**
 * Subresource integrity (PCI DSS 6.4.3, "the integrity of each script is assured"): the page names the SHA-384
 * of the exact bytes the gateway serves, so a copy changed anywhere between the gateway and the browser (a cache,
 * a proxy, the load balancer) does not run. Computed once per asset from the string the controller sends.
 */
export function sriOf(asset: string): string {
  let value = integrity.get(asset);
  if (!value) {
    value = `sha384-${createHash('sha384').update(asset, 'utf8').digest('base64')}`;
    integrity.set(asset, value);
  }
  return value;
}

export function escapeAttr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function collectPageHtml(opts: { sessionId: string; parentOrigin: string; nonce: string; redirectUrl?: string | null }): string {
  const submitUrl = `/collect/${opts.sessionId}/card`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Card details</title>
<link rel="stylesheet" href="/collect/assets/collect.css" integrity="${sriOf(COLLECT_CSS)}">
</head>
<body>
<main id="collect" data-parent-origin="${escapeAttr(opts.parentOrigin)}" data-submit-url="${escapeAttr(submitUrl)}"${opts.redirectUrl ? ` data-redirect-url="${escapeAttr(opts.redirectUrl)}"` : ''}>
<form id="card-form" autocomplete="on" novalidate>
  <label>Card number <input id="cardNo" name="cardNo" inputmode="numeric" autocomplete="cc-number" maxlength="23" required></label>
  <div class="row">
    <label>Month <input id="expiryMonth" name="expiryMonth" inputmode="numeric" autocomplete="cc-exp-month" placeholder="MM" maxlength="2" required></label>
    <label>Year <input id="expiryYear" name="expiryYear" inputmode="numeric" autocomplete="cc-exp-year" placeholder="YY" maxlength="2" required></label>
    <label>CVV <input id="cvv" name="cvv" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required></label>
  </div>
  <label>Name on card <input id="holder" name="holder" autocomplete="cc-name" maxlength="64"></label>
  <button id="submit" type="submit">Save card</button>
  <p id="status" role="status" aria-live="polite"></p>
</form>
</main>
<script src="/collect/assets/collect.js" nonce="${escapeAttr(opts.nonce)}" integrity="${sriOf(COLLECT_JS)}"></script>
</body>
</html>
`;
}

export const COLLECT_CSS = `body{font:15px/1.4 system-ui,sans-serif;margin:0;padding:12px;color:#1a1a1a}
label{display:block;margin:0 0 10px}input{display:block;width:100%;box-sizing:border-box;padding:8px;font:inherit;border:1px solid #999;border-radius:4px}
.row{display:flex;gap:8px}.row label{flex:1}button{padding:9px 16px;font:inherit;border:0;border-radius:4px;background:#1677ff;color:#fff}
button[disabled]{opacity:.6}#status{min-height:1.4em}
`;

/**
 * Posts the card to the gateway (same origin), then hands only the token and the masked view to the
 * parent with postMessage, addressed to the one parent origin the session allows. The card fields are
 * cleared once the card is stored. A top-level vaulting page sends the buyer on to its redirect URL
 * (the merchant's page, from createVaultingSession) instead; the token reaches the merchant by notifyVaulting.
 */
export const COLLECT_JS = `(function () {
  'use strict';
  var root = document.getElementById('collect');
  var parentOrigin = root.getAttribute('data-parent-origin');
  var submitUrl = root.getAttribute('data-submit-url');
  var redirectUrl = root.getAttribute('data-redirect-url');
  var form = document.getElementById('card-form');
  var button = document.getElementById('submit');
  var status = document.getElementById('status');
  function value(id) { return document.getElementById(id).value.replace(/\\s+/g, ''); }
  function tell(message) { if (window.parent !== window) window.parent.postMessage(message, parentOrigin); }
  function browserInfo() {
    var javaEnabled = false;
    try { javaEnabled = typeof navigator.javaEnabled === 'function' ? navigator.javaEnabled() : false; } catch (e) { javaEnabled = false; }
    return {
      language: navigator.language, javaEnabled: javaEnabled, colorDepth: screen.colorDepth,
      screenHeight: screen.height, screenWidth: screen.width, timeZoneOffset: new Date().getTimezoneOffset()
    };
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    button.disabled = true;
    status.textContent = 'Saving…';
    var holder = document.getElementById('holder').value.trim();
    var body = {
      cardNo: value('cardNo'), expiryMonth: value('expiryMonth'), expiryYear: value('expiryYear'), cvv: value('cvv'),
      browserInfo: browserInfo()
    };
    if (holder) body.cardholderName = { fullName: holder };
    fetch(submitUrl, {
      method: 'POST', credentials: 'omit', cache: 'no-store',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (res) { return res.json(); }).then(function (answer) {
      if (answer.result && answer.result.resultStatus === 'S') {
        form.reset();
        status.textContent = 'Card saved.';
        tell({ type: 'gateway.cardToken', cardToken: answer.cardToken, cardBin: answer.cardBin, lastFour: answer.lastFour,
          cardBrand: answer.cardBrand, onFile: answer.onFile });
        if (redirectUrl && window.parent === window) window.location.assign(redirectUrl);
      } else {
        var result = answer.result || {};
        status.textContent = result.resultMessage || 'The card could not be saved.';
        button.disabled = result.resultCode === 'ORDER_IS_CLOSED';
        tell({ type: 'gateway.cardError', resultCode: result.resultCode });
      }
    }).catch(function () {
      status.textContent = 'Network error; please try again.';
      button.disabled = false;
    });
  });
})();
`;
