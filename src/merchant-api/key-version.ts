/**
 * The `keyVersion` of a Signature header (`algorithm=RSA256,keyVersion=1,signature=…`), read from the
 * raw header so that nothing but a plain positive integer selects a key: `Number()` would turn "1.0",
 * "0x1", "+1", "1e0" and " 1" into 1. Every official SDK writes the version as given, default "1".
 *
 * Returns undefined when the header names no version (or an empty one: the merchant's latest key
 * applies), null when the value is anything but 1–999999999 written plainly.
 */
export function keyVersionOf(signatureHeader: string | undefined): number | null | undefined {
  if (typeof signatureHeader !== 'string') return undefined;
  for (const part of signatureHeader.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim().toLowerCase() !== 'keyversion') continue;
    // The first occurrence wins, as in parseSignatureHeader.
    const raw = part.slice(eq + 1);
    if (raw === '') return undefined;
    return /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
  }
  return undefined;
}
