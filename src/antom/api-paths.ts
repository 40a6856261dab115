/**
 * The prefixes every merchant API is served under: Antom's own, the sandbox variant the SDKs use for
 * SANDBOX_ client ids, and the seed's short form. The signature covers the path, so each is its own route.
 */
export const MERCHANT_PATH_PREFIXES = ['/ams/api/v1/', '/ams/sandbox/api/v1/', '/v1/'] as const;

/** The served paths of one API (`payments/pay` → `/ams/api/v1/payments/pay`, …). */
export const antomPaths = (api: string): string[] => MERCHANT_PATH_PREFIXES.map((p) => p + api);

/** Whether an origin-form path is under one of those prefixes: a merchant API call, known or not. */
export function isMerchantApiPath(path: string): boolean {
  return MERCHANT_PATH_PREFIXES.some((p) => path.startsWith(p));
}
