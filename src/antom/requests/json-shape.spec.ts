import { jsonShapeProblem, MAX_JSON_DEPTH, MAX_JSON_NODES } from './json-shape';

describe('jsonShapeProblem', () => {
  it('accepts an ordinary pay body, emoji, RTL and zero-width characters', () => {
    expect(jsonShapeProblem({ a: { b: [1, 'x', null, true] }, s: '😀 \u202Eabc \u200B é' })).toBeNull();
  });

  it('refuses 10,000 levels of nesting without recursing (no stack overflow)', () => {
    const deep = JSON.parse('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));
    expect(jsonShapeProblem(deep)).toMatch(/deeper than/);
    expect(jsonShapeProblem(JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)))).toMatch(/deeper than/);
  });

  it('accepts exactly the maximum depth and refuses one more', () => {
    const nest = (n: number) => JSON.parse('['.repeat(n) + ']'.repeat(n));
    expect(jsonShapeProblem(nest(MAX_JSON_DEPTH))).toBeNull();
    expect(jsonShapeProblem(nest(MAX_JSON_DEPTH + 1))).toMatch(/deeper than/);
  });

  it('refuses huge arrays', () => {
    expect(jsonShapeProblem({ x: new Array(MAX_JSON_NODES).fill(0) })).toMatch(/more than/);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['lone high surrogate', 'a\ud800'],
    ['lone low surrogate', '\udc00b'],
    ['reversed pair', '\udc00\ud800'],
  ])('refuses a string with a %s, in a value and in a key', (_name, s) => {
    expect(jsonShapeProblem({ x: [s] })).toMatch(/NUL|surrogate/);
    expect(jsonShapeProblem({ [s]: 1 })).toMatch(/field name/);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key', (key) => {
    expect(jsonShapeProblem(JSON.parse(`{"a":{"${key}":{"polluted":1}}}`))).toMatch(/field name/);
  });
});
