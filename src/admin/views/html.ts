/**
 * Server-side HTML with escaping by default: every `${value}` in an `html` template is escaped
 * unless it is itself SafeHtml (another template). There is no way to inject unescaped text except
 * by building SafeHtml from a template, so a forgotten escape cannot happen.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = SafeHtml | string | number | bigint | boolean | null | undefined | Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/**
 * `when(cond, () => html`…`)`: optional fragments without nested ternaries. The fragment is given the value it
 * was checked on, present: `when(totals, (t) => html`${t.count}`)`.
 */
export function when<T>(cond: T, fragment: (value: NonNullable<T>) => SafeHtml): SafeHtml | undefined {
  return cond ? fragment(cond) : undefined;
}
