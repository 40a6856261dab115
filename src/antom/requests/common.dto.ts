import { Transform, Type } from 'class-transformer';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsEmpty,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  registerDecorator,
  validate,
  ValidateNested,
  ValidationError,
  ValidationOptions,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import * as currencyCodes from 'currency-codes';

import { AntomError } from '../antom-error';
import { AntomInteger, AntomIntegerString } from './antom-scalars';
import { refuseCardNumbersInFreeText } from './card-number-fields';
import { compiledBody } from './compiled-body';

/** Antom's docs call booleans strings; its SDKs send real booleans. Accept both, nothing else. */
export const AntomBoolean = () => (target: object, key: string) => {
  Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))(target, key);
  // The OpenAPI schema (src/openapi) names both forms.
  JSONSchema((s) => ({ ...s, type: ['boolean', 'string'], enum: [true, false, 'true', 'false'] }))(target, key);
};

/** Amount values are integers in minor units, sent as a string (or a JSON integer by some SDKs). */
const toMinorUnits = ({ value }: { value: unknown }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value);

/**
 * A URL the gateway will POST notifications to: absolute http(s) only, so a merchant field cannot point
 * the outbox at file:, gopher: or a bare path. Which hosts are reachable is the outbox's policy.
 */
export const IsNotifyUrl = () =>
  IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: '$property must be an absolute http(s) URL' });

export function IsIsoCurrency(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIsoCurrency',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an ISO 4217 currency code`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && /^[A-Z]{3}$/.test(v) && !!currencyCodes.code(v) },
    });
}

export class AmountDto {
  @IsString()
  @IsIsoCurrency()
  currency: string;

  @Transform(toMinorUnits)
  @JSONSchema((s) => ({
    ...s,
    type: ['string', 'integer'],
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: "Minor units (ISO 4217 exponent), as a string in Antom's models; a JSON integer is also accepted.",
  }))
  @IsString()
  @Matches(/^(0|[1-9]\d{0,17})$/, { message: 'value must be an integer amount in minor units' })
  value: string;
}

export class UserNameDto {
  @IsOptional() @IsString() @MaxLength(64) firstName?: string;
  @IsOptional() @IsString() @MaxLength(64) middleName?: string;
  @IsOptional() @IsString() @MaxLength(64) lastName?: string;
  @IsOptional() @IsString() @MaxLength(128) fullName?: string;
}

export class BrowserInfoDto {
  @IsOptional() @IsString() @MaxLength(2048) acceptHeader?: string;
  @IsOptional() @AntomBoolean() @IsBoolean() javaEnabled?: boolean;
  @IsOptional() @AntomBoolean() @IsBoolean() javaScriptEnabled?: boolean;
  @IsOptional() @IsString() @MaxLength(32) language?: string;
  @IsOptional() @IsString() @MaxLength(2048) userAgent?: string;
}

export class EnvDto {
  @IsOptional() @IsIn(['WEB', 'WAP', 'APP', 'MINI_APP']) terminalType?: string;
  @IsOptional() @IsIn(['IOS', 'ANDROID']) osType?: string;
  @IsOptional() @IsString() @MaxLength(64) clientIp?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => BrowserInfoDto) browserInfo?: BrowserInfoDto;
  // Strings in Antom's Go/Java/Python models, int for timeZoneOffset; either form accepted (antom-scalars.ts).
  @IsOptional() @AntomIntegerString() colorDepth?: string;
  @IsOptional() @AntomIntegerString() screenHeight?: string;
  @IsOptional() @AntomIntegerString() screenWidth?: string;
  @IsOptional() @AntomInteger() timeZoneOffset?: number;
  @IsOptional() @IsString() @MaxLength(256) deviceId?: string;
  @IsOptional() @IsString() @MaxLength(32) deviceLanguage?: string;
  @IsOptional() @IsString() @MaxLength(256) deviceTokenId?: string;
}

/**
 * A field Antom defines that this gateway does not carry out: refused with F PARAM_ILLEGAL naming it,
 * never accepted and silently dropped (an empty string or null counts as absent).
 */
export function Refused(why: string): PropertyDecorator {
  return IsEmpty({ message: `$property is not supported: ${why}` });
}

/**
 * Turns the parsed body into a validated DTO or throws PARAM_ILLEGAL naming the first bad field by its
 * full path. Messages are class-validator's defaults, which never quote the offending value.
 */
export async function validateBody<T extends object>(cls: ClassConstructor<T>, body: unknown): Promise<T> {
  // The rules compiled from the same decorators accept what the libraries accept and build the same DTO,
  // ~8× cheaper (compiled-body.ts); anything else (every refusal, with its message) is the libraries' call.
  const compiled = compiledBody(cls, body);
  if (compiled !== undefined) {
    refuseCardNumbersInFreeText(body);
    return compiled;
  }
  return validateBodyByLibraries(cls, body);
}

/** validateBody through class-transformer + class-validator themselves: refusals, and the reference the compiled path is tested against. */
export async function validateBodyByLibraries<T extends object>(cls: ClassConstructor<T>, body: unknown): Promise<T> {
  let dto: T;
  try {
    dto = plainToInstance(cls, body as object);
  } catch {
    // class-transformer throws on shapes it cannot map (e.g. a value whose `constructor` is not a class):
    // that is bad input, not an unknown outcome.
    throw new AntomError('PARAM_ILLEGAL', 'The request body has an illegal structure.');
  }
  const errors = await validate(dto, { forbidUnknownValues: false });
  if (errors.length > 0) throw new AntomError('PARAM_ILLEGAL', describeFirst(errors));
  refuseCardNumbersInFreeText(body);
  return dto;
}

/** Which of a field's failed checks to name: what it is before how long it is (`5` is not a string, not too long). */
const FIRST_NAMED = ['isDefined', 'isString', 'isObject', 'isArray', 'isBoolean', 'isIn', 'isNotEmpty'];

function describeFirst(errors: ValidationError[], prefix = ''): string {
  const e = errors[0];
  const path = prefix ? `${prefix}.${e.property}` : e.property;
  if (e.constraints) {
    // Optional fields skip their checks when absent, so an absent value that failed one is a required field.
    if (e.value === undefined || e.value === null) return `Illegal parameter ${path}: is required.`;
    const constraints = e.constraints;
    const key = FIRST_NAMED.find((k) => k in constraints) ?? Object.keys(constraints)[0];
    const msg = constraints[key];
    return `Illegal parameter ${path}: ${msg.startsWith(e.property) ? msg.slice(e.property.length).trim() : msg}.`;
  }
  return e.children?.length ? describeFirst(e.children, path) : `Illegal parameter ${path}.`;
}

export { IsObject };
