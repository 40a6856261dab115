/**
 * Compares an answer or notification with one of the seed's examples (test/fixtures/antom/seed-examples)
 * field by field: every field the example has must be there, with the example's JSON type (string, number,
 * boolean, object, array), at every depth. Values are not compared (ids, times, amounts are the run's own);
 * fields the example does not show are allowed. Returns the departures, [] when the shape holds.
 */
export function seedShapeProblems(example: unknown, actual: unknown, path = '$'): string[] {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(example) !== kind(actual)) return [`${path}: ${actual === undefined ? 'missing' : kind(actual)} where the example has ${kind(example)}`];
  if (Array.isArray(example)) {
    const a = actual as unknown[];
    return example.length && a.length ? seedShapeProblems(example[0], a[0], `${path}[0]`) : [];
  }
  if (kind(example) !== 'object') return [];
  const a = actual as Record<string, unknown>;
  return Object.entries(example as Record<string, unknown>).flatMap(([k, v]) => seedShapeProblems(v, a[k], `${path}.${k}`));
}

/** A copy of an example without the fields at the given paths ("paymentResultInfo.threeDSResult"). */
export function without<T>(example: T, ...paths: string[]): T {
  const copy = JSON.parse(JSON.stringify(example));
  for (const p of paths) {
    const keys = p.split('.');
    const parent = keys.slice(0, -1).reduce((o, k) => o?.[k], copy);
    if (parent) delete parent[keys.at(-1)!];
  }
  return copy;
}
