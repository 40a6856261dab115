/**
 * A parent origin as it may appear in CSP frame-ancestors and as a postMessage target: scheme, host and
 * optional port, nothing else. Parsing and re-serialising through URL refuses paths, credentials,
 * wildcards, spaces and semicolons, so a stored origin can never inject a CSP directive.
 */
export function normalizeOrigin(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 256) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  // Letters, digits, dots and dashes (or a bracketed IPv6): no '*' wildcard, which CSP would honour.
  if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i.test(url.hostname)) return null;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) return null;
  return url.origin === value.replace(/\/$/, '') ? url.origin : null;
}

/** Plain http is allowed for local development only. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}
