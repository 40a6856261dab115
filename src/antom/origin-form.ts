/**
 * The origin-form of a request target (RFC 9112 §3.2.1): path and query, what every Antom SDK signs.
 * Antom's Python SDK sends the absolute-form (`POST https://host/ams/api/v1/payments/pay HTTP/1.1`,
 * RFC 9112 §3.2.2) yet signs only the path, so verifying, signing and path matching all use this
 * form, never the raw `req.url`. An origin-form target is returned as is.
 */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

export function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const authority = ABSOLUTE_FORM.exec(target);
  if (!authority) return target;
  const rest = target.slice(authority[0].length).replace(/#.*$/s, '');
  // An absolute URI with an empty path has the origin-form "/" (RFC 9112 §3.2.1).
  return rest.startsWith('/') ? rest : `/${rest}`;
}
