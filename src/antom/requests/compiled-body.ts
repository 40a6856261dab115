import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/*
 * The request DTOs' class-transformer + class-validator rules, compiled once per class (at its first request)
 * into plans: per property, the decorators' own `validate` functions, its @Transform functions and its @Type.
 * The rules stay the source: nothing here knows a field; it reads the two libraries' metadata storages.
 *
 * `compiledBody(cls, body)` does what `plainToInstance(cls, body)` followed by `validate(dto)` does for a body
 * both accept, and returns the same DTO (same classes, same own keys in the same order, same values). For
 * everything else it returns `undefined` and the caller runs the libraries themselves, so every refusal and
 * its message are theirs by construction: the compiled path may only ever *accept* what they accept
 * (test/contract: the differential suite checks it over random and hostile bodies for every DTO).
 *
 * It gives up (→ the libraries) on anything it does not model exactly: a value that is not JSON (a class
 * instance, a Map, a Date), a plain object carrying its own `constructor` key (class-transformer would take
 * it for the type), a validator that answers with a Promise, an exception anywhere. A class whose metadata
 * uses a feature not modelled (groups-only rules, @Expose/@Exclude, discriminators, @Type to a built-in,
 * promise validation, string schemas) is not compiled at all: `uncompiledReason(cls)` says why.
 *
 * Measured (bench-parts, CPU µs on the seed's pay body): libraries 150–190, compiled ~20 (see docs/performance.md).
 */

// class-transformer exports its storage only from this path, without type declarations; its shape is checked
// below (compile() gives up on a storage it does not recognise).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the storage's module has no type declarations to import
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: unknown };

type Ctor = new () => object;
type TransformFn = (params: { value: unknown; key: string; obj: unknown; type: number; options: object }) => unknown;

/** What class-transformer does with one declared key of a class. */
interface KeyPlan {
  /** @Type's class (undefined: copied as plain JSON). */
  type?: Ctor;
  /** design:type of the property when it has @Type (class-transformer builds arrays from it). */
  arrayOk: boolean;
  transforms: TransformFn[];
}

interface Check {
  validate: (value: unknown, args: ValidationArguments) => unknown;
  metadata: ValidationMetadata;
}

interface PropertyPlan {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  defined: Check[];
  customs: Check[];
  nested: boolean;
}

interface ClassPlan {
  keys: Map<string, KeyPlan>;
  properties: PropertyPlan[];
}

/** Raised inside the compiled path when a body leaves what it models exactly: the libraries decide instead. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp('not modelled: the libraries decide');

/** plainToInstance's options object as its transform functions receive it (defaults, nothing overridden). */
const TRANSFORM_OPTIONS = Object.freeze({
  enableCircularCheck: false,
  enableImplicitConversion: false,
  excludeExtraneousValues: false,
  excludePrefixes: undefined,
  exposeDefaultValues: false,
  exposeUnsetFields: true,
  groups: undefined,
  ignoreDecorators: false,
  strategy: undefined,
  targetMaps: undefined,
  version: undefined,
});
const PLAIN_TO_CLASS = 0; // class-transformer's TransformationType.PLAIN_TO_CLASS

const plans = new Map<Ctor, ClassPlan | string>();

/** Why a class is left to the libraries, or undefined when it is compiled. */
export function uncompiledReason(cls: Ctor): string | undefined {
  const plan = planOf(cls);
  return typeof plan === 'string' ? plan : undefined;
}

/**
 * The DTO for a body the libraries would accept, built without them; undefined when the libraries must
 * decide (a refusal, a shape not modelled, a class not compiled).
 */
export function compiledBody<T extends object>(cls: new () => T, body: unknown): T | undefined {
  const plan = planOf(cls);
  if (typeof plan === 'string') return undefined;
  if (!isPlainObject(body)) return undefined;
  try {
    const dto = toInstance(body, cls, plan);
    return validObject(dto, 0) ? (dto as T) : undefined;
  } catch {
    return undefined;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

// ---------------------------------------------------------------------------------------------------------
// Compilation (once per class)

function planOf(cls: Ctor): ClassPlan | string {
  let plan = plans.get(cls);
  if (plan === undefined) {
    try {
      plan = compile(cls);
    } catch (e) {
      plan = `metadata not readable: ${(e as Error).message}`;
    }
    plans.set(cls, plan);
  }
  return plan;
}

interface TransformerStorage {
  _typeMetadatas: Map<
    unknown,
    Map<string, { typeFunction?: (o: object) => unknown; reflectedType?: unknown; options?: { discriminator?: unknown } }>
  >;
  _transformMetadatas: Map<unknown, Map<string, unknown[]>>;
  getStrategy(target: unknown): string;
  getExposedMetadatas(target: unknown): unknown[];
  getExcludedMetadatas(target: unknown): unknown[];
  findTypeMetadata(
    target: unknown,
    key: string,
  ): { typeFunction?: (o: object) => unknown; reflectedType?: unknown; options?: { discriminator?: unknown } } | undefined;
  findTransformMetadatas(
    target: unknown,
    key: string,
    type: number,
  ): { transformFn: TransformFn; options?: { groups?: string[]; since?: number; until?: number } }[];
}

function compile(cls: Ctor): ClassPlan | string {
  const ct = defaultMetadataStorage as unknown as TransformerStorage;
  if (!(ct._typeMetadatas instanceof Map) || !(ct._transformMetadatas instanceof Map)) return 'class-transformer storage not recognised';
  if (ct.getStrategy(cls) !== 'none' || ct.getExposedMetadatas(cls).length > 0 || ct.getExcludedMetadatas(cls).length > 0) {
    return '@Expose/@Exclude';
  }
  // Every key class-transformer has metadata for, on the class and its ancestors.
  const declared = new Set<string>();
  for (let c: unknown = cls; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    for (const key of ct._typeMetadatas.get(c)?.keys() ?? []) declared.add(key);
    for (const key of ct._transformMetadatas.get(c)?.keys() ?? []) declared.add(key);
  }
  const keys = new Map<string, KeyPlan>();
  for (const key of declared) {
    const typeMeta = ct.findTypeMetadata(cls, key);
    let type: Ctor | undefined;
    let arrayOk = true;
    if (typeMeta) {
      if (typeMeta.options?.discriminator) return `discriminator on ${key}`;
      const t = typeMeta.typeFunction ? typeMeta.typeFunction({ newObject: {}, object: {}, property: key }) : typeMeta.reflectedType;
      if (typeof t !== 'function' || [String, Number, Boolean, Date, Buffer, Map, Set, Array, Object, Promise].includes(t as never)) {
        return `@Type of ${key} is not a DTO class`;
      }
      type = t as Ctor;
      // class-transformer builds an array sent for this key as `new reflectedType()` when that has push (or is a
      // Set), else []: modelled for Array and for classes without push (a DTO: the array is refused anyway).
      const r = typeMeta.reflectedType as (new () => unknown) | undefined;
      arrayOk = r === undefined || r === Array || (typeof r === 'function' && r !== Set && !(r.prototype instanceof Set) && !('push' in r.prototype));
    }
    const transforms = ct.findTransformMetadatas(cls, key, PLAIN_TO_CLASS);
    if (transforms.some((m) => m.options && (m.options.groups?.length || m.options.since !== undefined || m.options.until !== undefined))) {
      // Without groups or a version, class-transformer drops grouped transforms and keeps versioned ones;
      // not worth modelling for rules nobody writes here.
      return `grouped or versioned @Transform on ${key}`;
    }
    keys.set(key, { type, arrayOk, transforms: transforms.map((m) => m.transformFn) });
  }

  const cv = getMetadataStorage();
  // validate(dto, { forbidUnknownValues: false }): no groups, `always` false, strictGroups false.
  const metadatas = cv.getTargetValidationMetadatas(cls, undefined as unknown as string, false, false, undefined);
  const grouped = cv.groupByPropertyName(metadatas);
  const properties: PropertyPlan[] = [];
  for (const name of Object.keys(grouped)) {
    const plan: PropertyPlan = { name, conditions: [], defined: [], customs: [], nested: false };
    for (const m of grouped[name]) {
      if (typeof m.target === 'string') return 'schema-based rules';
      switch (m.type) {
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.CONDITIONAL_VALIDATION:
          plan.conditions.push(m.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.NESTED_VALIDATION:
          plan.nested = true;
          break;
        case ValidationTypes.IS_DEFINED:
        case ValidationTypes.CUSTOM_VALIDATION: {
          if (m.validateIf) return `validateIf on ${name}`;
          const constraints = cv.getTargetValidatorConstraints(m.constraintCls);
          for (const c of constraints) {
            if (c.async) return `async validator ${c.name ?? ''} on ${name}`;
            const instance = c.instance as { validate: Check['validate'] };
            plan[m.type === ValidationTypes.IS_DEFINED ? 'defined' : 'customs'].push({ validate: instance.validate.bind(instance), metadata: m });
          }
          break;
        }
        default:
          return `${m.type} on ${name}`;
      }
    }
    properties.push(plan);
  }
  return { keys, properties };
}

// ---------------------------------------------------------------------------------------------------------
// plainToInstance, for JSON values

/** Bounded by the JSON shape limits the body passed before validation (depth, keys): no recursion limit here. */
function toInstance(value: Record<string, unknown>, cls: Ctor | undefined, plan: ClassPlan | undefined): object {
  // An untyped object's own truthy `constructor` is taken by class-transformer for its type (`new "x"()` throws:
  // refused as an illegal structure); a falsy one is ignored like any plain object's.
  if (!cls && Object.prototype.hasOwnProperty.call(value, 'constructor') && value.constructor) throw GIVE_UP;
  const out = (cls ? new cls() : {}) as Record<string, unknown>;
  const proto = (out.constructor as { prototype?: object }).prototype;
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor') continue;
    const keyPlan = plan?.keys.get(key);
    const sub = value[key];
    if (proto) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if ((descriptor && !descriptor.set) || out[key] instanceof Function) continue;
    }
    let v = toValue(sub, keyPlan);
    if (keyPlan) {
      for (const fn of keyPlan.transforms) v = fn({ value: v, key, obj: value, type: PLAIN_TO_CLASS, options: TRANSFORM_OPTIONS });
    }
    out[key] = v; // exposeUnsetFields: undefined is assigned too
  }
  return out;
}

function toValue(value: unknown, keyPlan: KeyPlan | undefined): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') throw GIVE_UP;
    return value;
  }
  const type = keyPlan?.type;
  if (Array.isArray(value)) {
    if (keyPlan && !keyPlan.arrayOk) throw GIVE_UP;
    if (Object.getPrototypeOf(value) !== Array.prototype) throw GIVE_UP;
    const out: unknown[] = [];
    const elementPlan: KeyPlan | undefined = type ? { type, arrayOk: true, transforms: [] } : undefined;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw GIVE_UP; // holes: forEach skips them
      out.push(toValue(value[i], elementPlan));
    }
    return out;
  }
  if (!isPlainObject(value)) throw GIVE_UP;
  if (!type) return toInstance(value, undefined, undefined);
  const plan = planOf(type);
  if (typeof plan === 'string') throw GIVE_UP;
  return toInstance(value, type, plan);
}

// ---------------------------------------------------------------------------------------------------------
// validate(), accept-or-not only

function validObject(object: object, depth: number): boolean {
  if (depth > 64) throw GIVE_UP;
  const ctor = object.constructor as Ctor;
  const plan = ctor === Object ? undefined : planOf(ctor);
  if (typeof plan === 'string') throw GIVE_UP;
  if (!plan) {
    // A plain object under @ValidateNested without @Type: class-validator finds no rules for Object.
    return getMetadataStorage().getTargetValidationMetadatas(Object, undefined as unknown as string, false, false, undefined).length === 0 || fail();
  }
  const o = object as Record<string, unknown>;
  for (const p of plan.properties) {
    const value = o[p.name];
    let go = true;
    for (const c of p.conditions) go = c(object, value) && go;
    if (!go) continue;
    if (!checksPass(object, value, p.defined) || !checksPass(object, value, p.customs)) return false;
    if (p.nested && value !== undefined && !validNested(value, depth)) return false;
  }
  return true;
}

function fail(): never {
  throw GIVE_UP;
}

function validNested(value: unknown, depth: number): boolean {
  if (value instanceof Set || value instanceof Map) throw GIVE_UP;
  if (Array.isArray(value)) {
    // Each element goes through nestedValidations again, which skips an undefined one.
    for (const sub of value) if (sub !== undefined && !validNested(sub, depth + 1)) return false;
    return true;
  }
  if (value instanceof Object) return validObject(value, depth + 1);
  return false;
}

function checksPass(object: object, value: unknown, checks: Check[]): boolean {
  for (const { validate, metadata } of checks) {
    const args: ValidationArguments = {
      targetName: object.constructor ? object.constructor.name : (undefined as unknown as string),
      property: metadata.propertyName,
      object,
      value,
      constraints: metadata.constraints,
    };
    if (!metadata.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
      const ok = validate(value, args);
      if (ok instanceof Promise || (typeof ok === 'object' && ok !== null && typeof (ok as { then?: unknown }).then === 'function')) throw GIVE_UP;
      if (!ok) return false;
    } else {
      if (!Array.isArray(value)) throw GIVE_UP;
      for (const sub of value) {
        const ok = validate(sub, args);
        if (typeof ok === 'object' && ok !== null) throw GIVE_UP;
        if (!ok) return false;
      }
    }
  }
  return true;
}
