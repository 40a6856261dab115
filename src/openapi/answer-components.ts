import type { TSchema } from '@sinclair/typebox';

import { JsonSchema, ref } from './json-schema';

/*
 * The answers' and notifications' component schemas, derived from the wire types themselves (src/antom/wire:
 * TypeBox schemas whose `Static` types the builders return). Each schema with an `$id` becomes one named
 * component, and a `$ref` to it wherever it is nested; TypeBox's own markers (symbol keys) are not JSON and
 * are left behind. Nothing here is written by hand: a field the builders emit is a field of the document.
 */
export function answerComponents(roots: TSchema[]): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const seen = new Map<string, string>();

  const component = (schema: TSchema): void => {
    const name = schema.$id as string;
    const body = plain(schema, false);
    const text = JSON.stringify(body);
    const before = seen.get(name);
    // Type.Optional copies a schema (its `$id` too): the same name must always mean the same schema.
    if (before !== undefined && before !== text) throw new Error(`two different wire schemas are named ${name}`);
    if (before === undefined) {
      seen.set(name, text);
      out[name] = body;
    }
  };

  const plain = (schema: TSchema, nested: boolean): JsonSchema => {
    if (nested && typeof schema.$id === 'string') {
      component(schema);
      return ref(schema.$id);
    }
    return Object.fromEntries(
      Object.entries(schema)
        .filter(([k]) => k !== '$id')
        .map(([k, v]) => [k, value(v)]),
    );
  };

  const value = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(value);
    if (v === null || typeof v !== 'object') return v;
    return plain(v as TSchema, true);
  };

  for (const root of roots) {
    if (typeof root.$id !== 'string') throw new Error('every answer and notification schema is a named component ($id)');
    component(root);
  }
  return out;
}
