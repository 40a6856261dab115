/** A JSON Schema 2020-12 object (OpenAPI 3.1's schema dialect), as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

export const SCHEMA_REF = '#/components/schemas/';

/** `{ $ref: '#/components/schemas/<name>' }` */
export const ref = (name: string): JsonSchema => ({ $ref: SCHEMA_REF + name });
