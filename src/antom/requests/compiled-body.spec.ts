import 'reflect-metadata';

import * as fs from 'node:fs';
import * as path from 'node:path';

import { getMetadataStorage } from 'class-validator';
import * as fc from 'fast-check';

import { AntomError } from '../antom-error';
import * as cardInfo from './card-info.dto';
import { refuseCardNumbersInFreeText } from './card-number-fields';
import * as common from './common.dto';
import { validateBody, validateBodyByLibraries } from './common.dto';
import { compiledBody, uncompiledReason } from './compiled-body';
import * as consult from './consult.dto';
import * as dispute from './dispute.dto';
import * as lifecycle from './lifecycle.dto';
import * as pay from './pay.dto';
import * as vaulting from './vaulting.dto';

/*
 * Differential: the compiled rules against class-transformer + class-validator, on random and hostile bodies
 * for every DTO. Same decision, same message, same DTO (classes, own keys in order, values).
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the storage's module has no type declarations to import
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: unknown };

type Ctor = new () => object;
const dtoClasses: Ctor[] = [cardInfo, common, consult, dispute, lifecycle, pay, vaulting].flatMap((m) =>
  Object.values(m).filter((v): v is Ctor => typeof v === 'function' && /Dto$/.test(v.name)),
);
const requestClasses = dtoClasses.filter((c) => c.name.endsWith('RequestDto'));

type Outcome = { dto: unknown } | { error: string; code: string } | { thrown: string };
async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { dto: await run() };
  } catch (e) {
    if (e instanceof AntomError) return { error: e.message, code: e.result.resultCode };
    return { thrown: String(e) };
  }
}

/** Same classes, same own keys in the same order, same leaves. */
function same(a: unknown, b: unknown, at = '$'): void {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    if (!Object.is(a, b)) throw new Error(`${at}: ${String(a)} vs ${String(b)}`);
    return;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) throw new Error(`${at}: prototypes differ`);
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  if (ka.join('\u0000') !== kb.join('\u0000')) throw new Error(`${at}: keys ${ka.map(String).join(',')} vs ${kb.map(String).join(',')}`);
  for (const k of ka) same((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k], `${at}.${String(k)}`);
}

/** A fresh copy per run, made in this realm as the gateway's JSON.parse makes bodies (structuredClone's objects are another realm's under jest). */
const clone = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

async function expectSameOutcome(cls: Ctor, body: unknown): Promise<'accepted' | 'refused'> {
  const reference = await outcome(() => validateBodyByLibraries(cls, clone(body)));
  const fast = await outcome(() => validateBody(cls, clone(body)));
  const compiled = (() => {
    try {
      return compiledBody(cls, clone(body));
    } catch (e) {
      return { threw: String(e) };
    }
  })();
  if ('dto' in reference) {
    expect(fast).toHaveProperty('dto');
    same((fast as { dto: unknown }).dto, reference.dto);
    // Every body the libraries accept takes the compiled path (the speed), and builds the same DTO; the one
    // shape left to them on purpose is a nested untyped object with its own "constructor" key.
    if (compiled !== undefined || !JSON.stringify(body).includes('"constructor"')) {
      expect(compiled).toBeDefined();
      same(compiled, reference.dto);
    }
    return 'accepted';
  }
  expect(fast).toEqual(reference);
  // The compiled rules refuse what the libraries refuse; a body they both accept can still be refused
  // afterwards by the card-number scan, which runs on either path.
  if (compiled !== undefined) expect(() => refuseCardNumbersInFreeText(body)).toThrow(AntomError);
  return 'refused';
}

// --- generators -----------------------------------------------------------------------------------------

const storage = getMetadataStorage();
const hostileKeys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype', 'then', 'length', '0'];
const scalar = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'true',
    'false',
    'CARD',
    'CASHIER_PAYMENT',
    'AUTOMATIC',
    'MANUAL',
    'EUR',
    'USD',
    'JPY',
    'XXX',
    'eur',
    '100',
    '0',
    '01',
    '-1',
    '+5',
    '1.0',
    '99999999999999999999',
    'https://shop.example/notify',
    'http://127.0.0.1:9/n',
    'ftp://x/y',
    '/relative',
    'US',
    'us',
    'WEB',
    'IOS',
    '4111111111111111',
    'x'.repeat(65),
    'x'.repeat(257),
    'x'.repeat(2049),
  ),
  fc.boolean(),
  fc.constantFrom(0, 1, -1, 12, 1.5, 2 ** 53, -0, 1e21, 255),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...hostileKeys)), tie('value'), { maxKeys: 3 }),
})).value;

interface FieldInfo {
  name: string;
  nested?: Ctor;
  isIn: unknown[];
}
function fieldsOf(cls: Ctor): FieldInfo[] {
  const metas = storage.getTargetValidationMetadatas(cls, undefined as unknown as string, false, false, undefined);
  const byName = storage.groupByPropertyName(metas);
  return Object.keys(byName).map((name) => {
    const type = (
      defaultMetadataStorage as unknown as { findTypeMetadata(c: unknown, k: string): { typeFunction(): Ctor } | undefined }
    ).findTypeMetadata(cls, name);
    const isIn = byName[name].flatMap((m) =>
      m.constraintCls && storage.getTargetValidatorConstraints(m.constraintCls)[0]?.name === 'isIn' ? (m.constraints[0] as unknown[]) : [],
    );
    return { name, nested: type?.typeFunction(), isIn };
  });
}

function plausibleFor(name: string): unknown[] {
  if (/currency$/i.test(name)) return ['EUR', 'USD', 'JPY'];
  if (/^value$|Amount$|Depth|Height|Width|Offset|Quantity/.test(name)) return ['100', 100, '0'];
  if (/Url$/.test(name)) return ['https://shop.example/notify', 'http://127.0.0.1:9/n'];
  if (/Region$/.test(name)) return ['US', 'SG'];
  if (/^(is|java|require)/.test(name)) return [true, 'false'];
  return ['ID_1', 'a b', 'x'.repeat(20)];
}

/** A body built from the class's own fields: each present with probability 4/5, from its allowed values, nested DTOs, or anything. */
function bodyOf(cls: Ctor, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = fieldsOf(cls);
  const entries = fields.map((f) => {
    // Mostly what the field plausibly takes (so that bodies are accepted too), sometimes anything.
    const plausible = f.isIn.length
      ? fc.constantFrom(...f.isIn)
      : f.nested && depth < 4
        ? fc.oneof(
            { arbitrary: bodyOf(f.nested, depth + 1), weight: 5 },
            { arbitrary: fc.array(bodyOf(f.nested, depth + 1), { maxLength: 2 }), weight: 1 },
          )
        : fc.constantFrom(...plausibleFor(f.name));
    const value = fc.oneof({ arbitrary: plausible, weight: 12 }, { arbitrary: scalar, weight: 1 }, { arbitrary: json, weight: 1 });
    return fc.option(value, { freq: 3, nil: undefined }).map((v) => [f.name, v] as const);
  });
  const extra = fc.dictionary(fc.oneof(fc.constantFrom(...hostileKeys), fc.string({ maxLength: 6 })), json, { maxKeys: 2 });
  return fc.tuple(fc.tuple(...entries), extra, fc.boolean()).map(([fs, more, withExtra]) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of fs) if (v !== undefined) o[k] = v;
    // Through JSON text, as the gateway gets it: a "__proto__" key becomes an own property.
    const text = JSON.stringify(o);
    const extraText = withExtra ? JSON.stringify(more) : '{}';
    const merged = text === '{}' ? extraText : extraText === '{}' ? text : `${text.slice(0, -1)},${extraText.slice(1)}`;
    return JSON.parse(merged) as Record<string, unknown>;
  });
}

const seedPay = (): Record<string, unknown> => {
  const seed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../fixtures/pay-server-to-server.json'), 'utf8')) as Record<string, unknown>;
  return seed;
};

/** Sets `value` at a random path of `body` (or deletes there), from a list of paths into the seed. */
function mutated(body: Record<string, unknown>, paths: string[][], at: number, value: unknown, del: boolean): Record<string, unknown> {
  const copy = clone(body) as Record<string, unknown>;
  const p = paths[at % paths.length];
  let o: Record<string, unknown> = copy;
  for (const k of p.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null) return copy;
    o = o[k] as Record<string, unknown>;
  }
  if (del) delete o[p[p.length - 1]];
  else o[p[p.length - 1]] = value;
  return JSON.parse(JSON.stringify(copy)) as Record<string, unknown>;
}
function pathsOf(v: unknown, prefix: string[] = []): string[][] {
  if (typeof v !== 'object' || v === null) return [prefix];
  const out: string[][] = prefix.length ? [prefix] : [];
  for (const [k, sub] of Object.entries(v)) out.push(...pathsOf(sub, [...prefix, k]));
  out.push([...prefix, '__proto__'], [...prefix, 'constructor'], [...prefix, 'toString'], [...prefix, 'extra']);
  return out;
}

// --- the suite ------------------------------------------------------------------------------------------

describe('compiled request validation against class-transformer + class-validator', () => {
  it('compiles every request DTO (and pay at least)', () => {
    expect(requestClasses.length).toBeGreaterThan(15);
    const left = requestClasses.filter((c) => uncompiledReason(c) !== undefined).map((c) => `${c.name}: ${uncompiledReason(c)}`);
    expect(left).toEqual([]);
    expect(uncompiledReason(pay.PayRequestDto)).toBeUndefined();
  });

  it('the seed pay is accepted by both, as the same DTO', async () => {
    const seed = seedPay();
    expect(await expectSameOutcome(pay.PayRequestDto, seed)).toBe('accepted');
  });

  it('pay: the seed with one to three random edits (values, deletions, hostile keys)', async () => {
    const seed = seedPay();
    const paths = pathsOf(seed);
    const counts = { accepted: 0, refused: 0 };
    const edit = fc.tuple(fc.nat(), fc.oneof(json, scalar), fc.boolean());
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        let body = seed;
        for (const [at, value, del] of edits) body = mutated(body, paths, at, value, del);
        counts[await expectSameOutcome(pay.PayRequestDto, body)]++;
      }),
      { numRuns: 1500 },
    );
    // Both branches exercised.
    expect(counts.accepted).toBeGreaterThan(100);
    expect(counts.refused).toBeGreaterThan(100);
  });

  it.each(dtoClasses.map((c) => [c.name, c] as const))('%s: random bodies from its own fields', async (_name, cls) => {
    const counts = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(bodyOf(cls), async (body) => {
        counts[await expectSameOutcome(cls, body)]++;
      }),
      { numRuns: 250 },
    );
    expect(counts.refused).toBeGreaterThan(0);
    if (process.env.DIFF_COUNTS) console.log(_name, counts);
  });

  it('anything that is not a JSON object body is the libraries’ call, with their answer', async () => {
    for (const body of [null, undefined, 5, 'x', [], [{}], [seedPay()], new Date(0), new Map(), Object.create(null) as object]) {
      expect(compiledBody(pay.PayRequestDto, body)).toBeUndefined();
      const a = await outcome(() => validateBody(pay.PayRequestDto, body));
      const b = await outcome(() => validateBodyByLibraries(pay.PayRequestDto, body));
      expect(a).toEqual(b);
    }
  });

  it('a nested object carrying its own "constructor" or "__proto__" key: same outcome', async () => {
    const seed = JSON.stringify(seedPay());
    for (const extra of ['"constructor":"x"', '"constructor":{}', '"constructor":null', '"__proto__":{"a":1}', '"__proto__":[]']) {
      for (const where of ['{', '"orderAmount":{', '"paymentMethodMetaData":{', '"shipping":{']) {
        const i = seed.indexOf(where);
        if (i < 0) continue;
        const text = `${seed.slice(0, i + where.length)}${extra},${seed.slice(i + where.length)}`;
        await expectSameOutcome(pay.PayRequestDto, JSON.parse(text));
      }
    }
  });
});
