import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, IS_EMPTY, IS_URL, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { validationMetadataArrayToSchemas } from 'class-validator-jsonschema';
import type { SchemaConverter } from 'class-validator-jsonschema/build/defaultConverters';
import * as currencyCodes from 'currency-codes';

import { JsonSchema, SCHEMA_REF } from './json-schema';

// class-transformer keeps its @Type metadata in a module-level store it does not export from its index.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the store is reachable only by its CommonJS path (above)
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerStorage };

/*
 * The request schemas are the DTOs themselves: class-validator's metadata (and class-transformer's @Type
 * for nested classes) turned into JSON Schema 2020-12 by class-validator-jsonschema. The converters below
 * cover what its defaults get wrong for this gateway (checked by openapi-document.spec.ts against the
 * DTOs' own verdicts):
 * - IsIsoCurrency is a custom decorator: exactly the ISO 4217 codes currency-codes knows (an enum).
 * - IsUrl defaults to `format: "url"`, which is no JSON Schema format: `uri`, limited to its protocols.
 * - IsEmpty (`Refused`) defaults to OpenAPI 3.0's `nullable`: in 3.1 it is `enum: ["", null]`.
 * - IsDefined adds `not: {type: "null"}` beside a type that already excludes null (Ajv's strict mode
 *   rejects the contradiction): kept only where nothing else excludes null.
 * Wire forms a DTO accepts beside its canonical type (a JSON number for colorDepth, "true" for a
 * boolean) are declared where the DTO declares the transform (antom-scalars.ts, common.dto.ts).
 */
const converters: Record<string, SchemaConverter> = {
  isIsoCurrency: () => ({ type: 'string', enum: currencyCodes.codes() }),
  [IS_URL]: (meta) => {
    const protocols: string[] = (meta.constraints?.[0] as { protocols?: string[] } | undefined)?.protocols ?? ['http', 'https'];
    // validator.js compares the protocol case-insensitively.
    const anyCase = (p: string) => [...p].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
    return { type: 'string', format: 'uri', pattern: `^(?:${protocols.map(anyCase).join('|')})://` };
  },
  [IS_EMPTY]: (meta) => ({
    enum: ['', null],
    description: typeof meta.message === 'string' ? meta.message.replace('$property', meta.propertyName) : 'Not supported.',
  }),
};

/** Component schemas for the request DTOs and every class they nest, named without the `Dto` suffix. */
export function requestSchemas(roots: Function[]): Record<string, JsonSchema> {
  const classes = reachableClasses(roots);
  const names = new Map<string, Function>();
  for (const c of classes) {
    const other = names.get(c.name);
    // Schemas are keyed by class name: two DTO classes of one name would silently merge.
    if (other && other !== c) throw new Error(`two request DTO classes are named ${c.name}`);
    names.set(c.name, c);
  }
  const metas = classes.flatMap(ownMetadatas);
  const raw = validationMetadataArrayToSchemas(metas, {
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: SCHEMA_REF,
    additionalConverters: converters,
  }) as Record<string, JsonSchema>;
  const out: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(raw)) out[schemaName(name)] = withoutRedundantNotNull(renameRefs(schema) as JsonSchema);
  return out;
}

/** `PayRequestDto` → `PayRequest`. */
export function schemaName(className: string): string {
  return className.replace(/Dto$/, '');
}

/** The roots and every class reachable through @Type (class-transformer's metadata, as validation uses it). */
function reachableClasses(roots: Function[]): Function[] {
  const seen = new Set<Function>();
  const todo = [...roots];
  for (let c = todo.pop(); c !== undefined; c = todo.pop()) {
    if (seen.has(c)) continue;
    seen.add(c);
    for (const m of ownMetadatas(c)) {
      if (m.type !== ValidationTypes.NESTED_VALIDATION) continue;
      const nested = defaultMetadataStorage.findTypeMetadata(c, m.propertyName)?.typeFunction();
      if (typeof nested === 'function') todo.push(nested as Function);
    }
  }
  return [...seen];
}

/** A class's validation metadata, with custom decorators named by their constraint (as `isIsoCurrency`). */
function ownMetadatas(c: Function): ValidationMetadata[] {
  const storage = getMetadataStorage();
  return storage.getTargetValidationMetadatas(c, '', true, false).map((m) => {
    const constraint = m.constraintCls ? storage.getTargetValidatorConstraints(m.constraintCls)[0] : undefined;
    return constraint ? { ...m, type: constraint.name } : { ...m };
  });
}

function withoutRedundantNotNull(schema: JsonSchema): JsonSchema {
  for (const p of Object.values((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    const types = [p.type].flat();
    const notNull = (p.not as JsonSchema | undefined)?.type === 'null';
    if (notNull && p.type !== undefined && !types.includes('null')) delete p.not;
  }
  return schema;
}

function renameRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(renameRefs);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      k === '$ref' && typeof x === 'string' ? SCHEMA_REF + schemaName(x.slice(SCHEMA_REF.length)) : renameRefs(x),
    ]),
  );
}
