/**
 * `env` as Antom's models type it upstream (Go/Java/Python SDK `Env`): colorDepth, screenHeight and
 * screenWidth are strings, timeZoneOffset an int, the browserInfo flags booleans. The merchant's env is
 * already so after validation (dto/antom-scalars.ts); the buyer env the hosted page gathered and the
 * vault kept has numbers, so every upstream pay goes through here.
 */
export function upstreamEnv<T>(env: T): T {
  if (!env || typeof env !== 'object' || Array.isArray(env)) return env;
  const e: Record<string, unknown> = { ...(env as Record<string, unknown>) };
  for (const k of ['colorDepth', 'screenHeight', 'screenWidth']) if (typeof e[k] === 'number') e[k] = String(e[k]);
  if (typeof e.timeZoneOffset === 'string' && /^[+-]?\d{1,15}$/.test(e.timeZoneOffset)) e.timeZoneOffset = Number(e.timeZoneOffset);
  const b = e.browserInfo;
  if (b && typeof b === 'object' && !Array.isArray(b)) {
    const info: Record<string, unknown> = { ...(b as Record<string, unknown>) };
    for (const k of ['javaEnabled', 'javaScriptEnabled']) if (info[k] === 'true' || info[k] === 'false') info[k] = info[k] === 'true';
    e.browserInfo = info;
  }
  return e as T;
}
