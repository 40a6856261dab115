import { TProperties, TSchema, Type } from '@sinclair/typebox';

/*
 * The building blocks of the wire types. Each answer and notification is a TypeBox schema: plain JSON Schema
 * 2020-12 at run time (what src/openapi serves) and, through `Static`, the TypeScript type its builder
 * returns. One declaration, so the served document and the code that builds the bodies cannot drift apart.
 * A schema with an `$id` is a named component of the document (a `$ref` wherever it is nested).
 */

/** An answer or notification body: closed, so a field the builders add without declaring it here does not compile. */
export const Closed = <P extends TProperties>(id: string, description: string, properties: P) =>
  Type.Object(properties, { $id: id, description, additionalProperties: false });

/** A string of a closed list of values (JSON Schema `enum`, the type the union of the values). */
export const StringEnum = <T extends string[]>(values: [...T], options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, ...options });

/** `const`: the one value a field takes. */
export const Const = <T extends string | boolean>(value: T) => Type.Unsafe<T>({ const: value });

/** Antom's time format as the gateway writes it: ISO 8601 with an explicit offset. */
export const Time = Type.String({ format: 'date-time', description: 'ISO 8601 with offset, e.g. 2026-01-02T03:04:05.678+00:00.' });

/** An id of at most 64 characters (Antom's limit for request ids and its own ids). */
export const Id = (description: string) => Type.String({ maxLength: 64, description });

export const Text = (maxLength: number) => Type.String({ maxLength });

/** Optional, as TypeBox writes it: the field may be absent (the builders omit undefined and null). */
export const Opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
