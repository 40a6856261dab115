/** The console's stylesheet and script, served from /admin/assets (the CSP allows only 'self', nothing inline). */
export const ADMIN_CSS = `
:root { --fg:#1d2330; --muted:#5d6678; --line:#d9dee8; --bg:#f6f7fb; --accent:#2451c7; --ok:#137a3a; --warn:#8a5a00; --err:#b3261e; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
header.top { display:flex; gap:24px; align-items:center; padding:10px 24px; background:#14213d; color:#fff; }
header.top a { color:#fff; text-decoration:none; }
header.top .brand { font-weight:600; }
header.top nav { display:flex; gap:16px; flex:1; }
header.top nav a { opacity:.85; } header.top nav a:hover { opacity:1; text-decoration:underline; }
form.logout { display:flex; gap:10px; align-items:center; margin:0; }
.who { opacity:.8; font-size:13px; }
button.link { background:none; border:0; color:#fff; text-decoration:underline; cursor:pointer; padding:0; }
main { padding:16px 24px 48px; }
h1 { font-size:20px; margin:4px 0 16px; } h2 { font-size:16px; margin:24px 0 8px; }
table { border-collapse:collapse; width:100%; background:#fff; border:1px solid var(--line); }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#eef1f7; font-weight:600; font-size:12px; text-transform:uppercase; letter-spacing:.02em; color:var(--muted); }
td.mono { overflow-wrap:anywhere; max-width:520px; }
td.nowrap { white-space:nowrap; overflow-wrap:normal; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
tr.soon td { background:#fff7e6; }
.card { background:#fff; border:1px solid var(--line); border-radius:6px; padding:16px; margin-bottom:16px; }
.card > h2:first-child, .card > input[type=hidden]:first-child + h2 { margin-top:0; }
/* The payments list: fixed columns that always fit the window; long ids end in "…" with the full id in the title. */
table.fit { table-layout:fixed; }
table.fit td { overflow:hidden; }
.clip { display:block; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
col.c-check { width:34px; } col.c-payment { width:24%; } col.c-merchant { width:11%; } col.c-status { width:168px; }
col.c-amount { width:130px; } col.c-card { width:160px; } col.c-expires { width:150px; }
.narrow { max-width:380px; }
label { display:block; margin:0 0 10px; font-size:13px; color:var(--muted); }
label input, label select { display:block; margin-top:3px; }
label input[type=checkbox] { display:inline; margin:0 4px 0 0; }
input, select, button { font:inherit; padding:5px 8px; border:1px solid var(--line); border-radius:4px; }
button { background:var(--accent); color:#fff; border-color:var(--accent); cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
button.danger { background:var(--err); border-color:var(--err); }
form.filters { display:grid; grid-template-columns:repeat(auto-fill, minmax(150px, 1fr)); gap:8px 12px; align-items:end; }
form.filters label { margin:0; } form.filters input, form.filters select { width:100%; }
.grid2 { display:grid; grid-template-columns:repeat(auto-fit, minmax(320px, 1fr)); gap:16px; }
dl.kv { display:grid; grid-template-columns:max-content 1fr; gap:4px 16px; margin:0; }
dl.kv dt { color:var(--muted); } dl.kv dd { margin:0; }
.badge { display:inline-block; padding:1px 7px; border-radius:10px; font-size:12px; font-weight:600; background:#e7ebf3; }
.badge.AUTHORIZED, .badge.PARTIALLY_CAPTURED, .badge.PENDING, .badge.HELD, .badge.EXECUTING { background:#fff0c2; color:var(--warn); }
.badge.CAPTURED, .badge.SUCCEEDED, .badge.SUCCESS, .badge.EXECUTED, .badge.ACKED { background:#d8f3e1; color:var(--ok); }
.badge.DISPUTED, .badge.FAILED, .badge.FAILURE, .badge.DENIED, .badge.CANCELLED, .badge.EXPIRED, .badge.REJECTED, .badge.ERROR { background:#fde2e0; color:var(--err); }
.notice { padding:10px 12px; border-radius:4px; border:1px solid; max-width:900px; }
.notice.ok { background:#e9f7ee; border-color:#9fd8b3; } .notice.warn { background:#fff6e0; border-color:#f0cf7a; } .notice.error { background:#fdecea; border-color:#f2aaa4; }
.notice.field-error { margin:4px 0 8px; padding:6px 10px; } a.badge { text-decoration:none; }
.actions { display:flex; flex-wrap:wrap; gap:16px; }
.actions form { background:#fff; border:1px solid var(--line); border-radius:6px; padding:12px; min-width:240px; }
.muted { color:var(--muted); } code, .mono { font-family:ui-monospace, Menlo, Consolas, monospace; font-size:12.5px; }
.confirm { font-size:18px; margin:12px 0; } .confirm strong { font-size:22px; }
.pager { margin-top:10px; display:flex; gap:12px; }
fieldset.statuses { grid-column:1 / -1; border:1px solid var(--line); border-radius:4px; margin:0; padding:6px 10px; display:flex; flex-wrap:wrap; gap:4px 14px; }
fieldset.statuses legend { font-size:13px; color:var(--muted); padding:0 4px; }
fieldset.statuses label { margin:0; color:var(--fg); font-size:12.5px; white-space:nowrap; }
form.filters fieldset.statuses label input { display:inline; width:auto; margin:0 4px 0 0; vertical-align:-2px; }
dl.kv dd { overflow-wrap:anywhere; min-width:0; }
form.filters .notice { grid-column:1 / -1; margin:0; }
#list-totals { margin:8px 0; } #list-totals .total { white-space:nowrap; }
table.timeline td.what { min-width:260px; }
`;

export const ADMIN_JS = `
// Progressive help only; every page works without JavaScript and the server checks everything again.
document.addEventListener('DOMContentLoaded', function () {
  // "Select all" for bulk capture.
  var all = document.getElementById('select-all');
  if (all) all.addEventListener('change', function () {
    document.querySelectorAll('input[name="paymentId"]').forEach(function (box) { box.checked = all.checked; });
  });

  // The payments filter is a GET form: a full card number typed into it must never reach the URL (history,
  // proxies, access logs). The card field takes a BIN (6-8 digits) and/or the last 4 only.
  var filters = document.getElementById('filters');
  if (filters) filters.addEventListener('submit', function (event) {
    var problem = null;
    var card = document.getElementById('card-filter');
    if (card && card.value.trim() !== '' && !maskedCard(card.value)) {
      card.value = '';
      problem = 'Card: enter the BIN (first 6-8 digits), the last 4, or both as 411111******1111. A full card number is never searched for; the field was cleared.';
      card.focus();
    }
    filters.querySelectorAll('input[type=text], input:not([type])').forEach(function (input) {
      if (looksLikeCardNumber(input.value)) {
        input.value = '';
        problem = problem || 'That looked like a card number; the field was cleared and nothing was sent. Search by BIN and/or last 4 in the card field.';
      }
    });
    if (problem) {
      event.preventDefault();
      var box = document.getElementById('card-filter-error');
      if (box) { box.textContent = problem; box.hidden = false; }
    }
  });
});

function maskedCard(value) {
  var s = value.replace(/[\\s-]/g, '');
  return /^\\d{4}$/.test(s) || /^\\d{6,8}$/.test(s) || /^\\d{6,8}[*xX\u2022.\u2026]+\\d{4}$/.test(s);
}

function looksLikeCardNumber(value) {
  var runs = value.match(/(^|[^0-9A-Za-z])\\d(?:[ -]?\\d){12,18}(?![0-9A-Za-z])/g) || [];
  return runs.some(function (run) { return luhn(run.replace(/[^0-9]/g, '')); });
}

function luhn(digits) {
  var sum = 0;
  for (var i = 0; i < digits.length; i++) {
    var d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}
`;

/** A card on a dark tile, like the header: 16×16, no text, no external references. */
export const ADMIN_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#14213d"/><rect x="2.5" y="4.5" width="11" height="7" rx="1" fill="none" stroke="#fff"/><path d="M3 6.5h10v1H3z" fill="#fff"/></svg>`;
