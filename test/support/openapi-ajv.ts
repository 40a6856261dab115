import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';

const BASE = 'https://gateway.invalid/openapi/schemas/';
const LOCAL = '#/components/schemas/';

/** RFC 3339 date-time with an explicit offset, as the gateway writes times. */
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i;

/**
 * The served document's component schemas, compiled by Ajv for JSON Schema 2020-12 (OpenAPI 3.1's
 * dialect) in strict mode, so a keyword Ajv does not know or a format nobody defined fails here too.
 * Each component becomes its own schema (its local `#/components/schemas/X` refs made absolute).
 */
export class OpenApiSchemas {
  readonly ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });

  constructor(readonly doc: any) {
    this.ajv.addFormat('date-time', { type: 'string', validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) });
    this.ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, unknown>))
      this.ajv.addSchema({ ...(absolute(schema) as object), $id: BASE + name });
  }

  validator(name: string): ValidateFunction {
    const v = this.ajv.getSchema(BASE + name);
    if (!v) throw new Error(`no schema ${name}`);
    return v;
  }

  /** The component a ref points at: `#/components/schemas/PayAnswer` → `PayAnswer`. */
  static nameOf(schemaRef: { $ref: string }): string {
    return schemaRef.$ref.slice(LOCAL.length);
  }

  /** Null when valid, else Ajv's errors as one line each. */
  problems(name: string, body: unknown): string[] | null {
    const v = this.validator(name);
    return v(body) ? null : (v.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

function absolute(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(absolute);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' && x.startsWith(LOCAL) ? BASE + x.slice(LOCAL.length) : absolute(x)]),
  );
}
