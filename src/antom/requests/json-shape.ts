/*
 * Structural limits on a parsed request body, checked right after JSON.parse and before anything
 * recursive touches it. JSON.parse itself is iterative in V8 and survives 10,000 levels, but
 * class-transformer, class-validator, pino and JSON.stringify recurse: an absurdly deep body would
 * blow the stack there and come back as U UNKNOWN_EXCEPTION instead of a clean F PARAM_ILLEGAL.
 */

/** Antom's deepest real field (order.goods[].goodsUnitAmount.value) is at depth 5. */
export const MAX_JSON_DEPTH = 32;
/** 100 goods lines of a dozen fields each stay far below this; a body of 100k tiny nodes does not. */
export const MAX_JSON_NODES = 10_000;

/** NUL (PostgreSQL text cannot hold it) and unpaired UTF-16 surrogates (not valid Unicode, not storable as UTF-8). */
// eslint-disable-next-line no-control-regex -- NUL is what PostgreSQL text cannot hold
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Keys that reach into prototypes: class-transformer calls `value.constructor` as a class (TypeError). */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Returns why the body is unacceptable (never quoting it), or null when it is fine. Iterative: no recursion. */
export function jsonShapeProblem(root: unknown): string | null {
  const stack: [unknown, number][] = [[root, 0]];
  let nodes = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [value, depth] = item;
    if (++nodes > MAX_JSON_NODES) return `The request body has more than ${MAX_JSON_NODES} values.`;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return 'The request body contains a NUL character or an unpaired surrogate.';
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`;
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
      continue;
    }
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key) || UNSTORABLE.test(key)) return 'The request body contains an illegal field name.';
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return null;
}
