import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/*
 * Antom's docs: "Set the data type of each field (except array) as String ... If the data type of a field
 * is Integer and its value is 20, set it as "20"" (docs.antom.com, every API page). Its SDKs then send
 * some scalars as strings and some as numbers, model by model (docs/antom-compatibility.md). So each
 * numeric field takes both, and leaves the DTO with the type Antom's model gives it, which is also what
 * goes upstream.
 */

/** A JSON integer, or its plain decimal string (optional sign); nothing else (no "1.0", "0x1", " 1"). */
const INTEGER_TEXT = /^[+-]?\d{1,15}$/;

/** An integer field that Antom's models type as String (Go/Java/Python `env.colorDepth`): kept as a string. */
export function AntomIntegerString(opts: { signed?: boolean } = {}) {
  const pattern = opts.signed ? /^-?(0|[1-9]\d{0,8})$/ : /^(0|[1-9]\d{0,8})$/;
  return (target: object, key: string) => {
    Transform(({ value }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value))(target, key);
    IsString({ message: `${key} must be an integer, as a number or a string` })(target, key);
    Matches(pattern, { message: `${key} must be an integer, as a number or a string` })(target, key);
    // The OpenAPI schema (src/openapi): both wire forms; `pattern` applies to the string, the bounds to the number.
    JSONSchema((s) => ({
      ...s,
      type: ['string', 'integer'],
      minimum: opts.signed ? -999_999_999 : 0,
      maximum: 999_999_999,
      description: "An integer; a string in Antom's models, a JSON number is also accepted.",
    }))(target, key);
  };
}

/** An integer field that Antom's models type as int (Go int32, Java Integer: `env.timeZoneOffset`): a number. */
export function AntomInteger() {
  return (target: object, key: string) => {
    Transform(({ value }) => (typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : value))(target, key);
    IsInt({ message: `${key} must be an integer, as a number or a string` })(target, key);
    JSONSchema((s) => ({
      ...s,
      type: ['integer', 'string'],
      pattern: INTEGER_TEXT.source,
      description: "An integer in Antom's models; its decimal string is also accepted.",
    }))(target, key);
  };
}

/** A String field of Antom's models that SDKs or merchants may fill with a JSON number: kept as its string. */
export const AntomText = () => (target: object, key: string) => {
  Transform(({ value }) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value))(target, key);
  JSONSchema((s) => ({ ...s, type: ['string', 'number'], description: "A string in Antom's models; a JSON number is also accepted." }))(target, key);
};
