import { Static, TObject, TSchema } from '@sinclair/typebox';

/*
 * The nested models the gateway passes on from the acquirer (paymentResultInfo, cardInfo, the action forms) in
 * the JSON types of Antom's SDK models (models.ts). Antom's docs send every scalar as a string ("3"), and the
 * sandbox did too; Go's json.Unmarshal then fails on a field its model types as int32 or bool, and the merchant's
 * SDK throws on a payment that succeeded. Fields the model does not name are left as they are.
 */

const INT_TEXT = /^[+-]?\d{1,9}$/;

/** A copy of `value` with each field the model names in the model's JSON type; a value that cannot be is dropped. */
export function asAntomModel<T extends TObject>(value: unknown, model: T): Static<T> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  const fields = model.properties as Record<string, TSchema>;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const field = fields[k];
    const typed = field === undefined ? v : coerce(v, field);
    if (typed !== undefined) out[k] = typed;
  }
  return out as Static<T>; // every named field now has its model type; the model is open to the others
}

function coerce(v: unknown, schema: TSchema): unknown {
  if (v === null || v === undefined) return undefined;
  switch (schema.type) {
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    case 'integer':
      return toInt(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined;
    case 'array': {
      if (!Array.isArray(v)) return undefined;
      const list = v.map((x) => coerce(x, schema.items as TSchema));
      return list.every((x) => x !== undefined) ? list : undefined;
    }
    case 'object':
      return asAntomModel(v, schema as TObject);
    default:
      return v;
  }
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v : undefined;
  return typeof v === 'string' && INT_TEXT.test(v) ? Number(v) : undefined;
}
