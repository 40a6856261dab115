import { GO_MODELS, GO_ROOTS, GoType } from './go-sdk-models';

/**
 * What Go's encoding/json would refuse when decoding `value` into the SDK model `root`: one line per
 * mismatch, with the field path. Faithful to json.Unmarshal: null fits everything, unknown keys are
 * ignored, keys match exactly or else case-insensitively, integers must be JSON integers in range.
 */
export function goDecodeProblems(value: unknown, root: keyof typeof GO_ROOTS): string[] {
  return modelDecodeProblems(value, GO_ROOTS[root], GO_MODELS, root);
}

/** The same check against another SDK's model table (card-api-models.ts: models the Go SDK lacks). */
export function modelDecodeProblems(value: unknown, model: string, models: Record<string, Record<string, GoType>>, path = model): string[] {
  const problems: string[] = [];
  check(value, { model }, path, problems, models);
  return problems;
}

const INT32 = 2 ** 31;

function check(v: unknown, t: GoType, path: string, out: string[], models: Record<string, Record<string, GoType>>): void {
  if (v === null || t === 'any') return;
  const bad = (want: string): void => {
    out.push(`${path}: ${JSON.stringify(v)} is not a JSON ${want} (Go ${typeof t === 'string' ? t : JSON.stringify(t)})`);
  };
  if (t === 'string') {
    if (typeof v !== 'string') bad('string');
    return;
  }
  if (t === 'bool') {
    if (typeof v !== 'boolean') bad('boolean');
    return;
  }
  if (t === 'number') {
    if (typeof v !== 'number') bad('number');
    return;
  }
  if (t === 'int32' || t === 'int64') {
    if (typeof v !== 'number' || !Number.isInteger(v) || (t === 'int32' && (v < -INT32 || v >= INT32))) bad('integer');
    return;
  }
  if (t === 'object') {
    if (typeof v !== 'object' || Array.isArray(v)) bad('object');
    return;
  }
  if ('array' in t) {
    if (!Array.isArray(v)) return bad('array');
    v.forEach((x, i) => check(x, t.array, `${path}[${i}]`, out, models));
    return;
  }
  if (typeof v !== 'object' || Array.isArray(v)) return bad('object');
  const fields = models[t.model];
  if (!fields) throw new Error(`no model ${t.model}`);
  const lower = new Map(Object.keys(fields).map((k) => [k.toLowerCase(), k]));
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const field = k in fields ? k : lower.get(k.toLowerCase());
    if (field) check(x, fields[field], `${path}.${k}`, out, models);
  }
}
