import { readSources } from './import-graph';
import { untypedReturns } from './untyped-answers';

/*
 * Issue 24, "a typed wire contract": the answers and notifications are the wire types of src/antom/wire, the
 * upstream port is typed per operation, and at most 10 functions in src/ are left returning
 * `Record<string, unknown>`, each named here and each with a `// Record: <why>` comment above it in the code.
 * A new one fails this test: give it a type (an answer is an AnswerOf<api>), or add it here with its reason.
 */
const ALLOWED = [
  'src/audit/audit.service.ts#jsonSafe', // an audit entry's detail is whatever its caller recorded
  'src/config/gateway-config.ts#GatewayConfig.toJSON', // every setting by name, secrets redacted, for logs
  'src/pci/card-collection/collect/collect-page.controller.ts#parseJson', // the hosted page's posted body, before its fields are read
  'src/pci/vault/wire-card.ts#withoutCardFields', // the merchant's own paymentMethodMetaData fields passed through
  'src/acquirer-answers/pay-outcome.ts#pick', // named fields of one of the acquirer's open models
  'src/acquirer-answers/pay-outcome.ts#hostedCardView', // merged into the stored paymentResultInfo jsonb
];
const LIMIT = 10;

// Specs and their fakes (`*.fakes.ts`, left out of the build) are test code, not the wire.
const src = readSources(process.cwd(), 'src').filter((f) => !f.path.endsWith('.spec.ts') && !f.path.endsWith('.fakes.ts'));

describe('architecture: the wire contract is typed', () => {
  const found = untypedReturns(src);

  it(`at most ${LIMIT} functions in src/ return Record<string, unknown>, each one on the allowed list`, () => {
    expect(ALLOWED.length).toBeLessThanOrEqual(LIMIT);
    expect(found.filter((f) => !ALLOWED.includes(f.id)).map((f) => `${f.id} (line ${f.line})`)).toEqual([]);
  });

  it('each one left says why, in a `// Record: <why>` comment above it', () => {
    expect(found.filter((f) => !f.reason).map((f) => f.id)).toEqual([]);
  });

  it('the allowed list names nothing that is gone (a function typed since leaves the list)', () => {
    expect(ALLOWED.filter((id) => !found.some((f) => f.id === id))).toEqual([]);
  });

  it('the detector finds every form (planted): direct, Promise, union, array, alias, method, arrow, function type', () => {
    const planted = [
      'export function a(): Record<string, unknown> { return {}; }',
      'export async function b(): Promise<Record<string, unknown> | null> { return null; }',
      'export const c = (): Array<Record<string, unknown>> => [];',
      'type Answer = Record<string, unknown>;\nexport class D { e(): Answer { return {}; } }',
      'export function f(g: () => Record<string, unknown>[]): void { g(); }',
      '// Record: a reason\nexport function h(): Record<string, unknown> { return {}; }',
      'export function typed(): Record<string, string> { return {}; }',
    ].map((text, i) => ({ path: `src/planted/p${i}.ts`, text }));
    const hits = untypedReturns(planted);
    expect(hits.map((h) => h.id)).toEqual([
      'src/planted/p0.ts#a',
      'src/planted/p1.ts#b',
      'src/planted/p2.ts#c (function value)',
      'src/planted/p3.ts#D.e',
      'src/planted/p4.ts#g (function value)',
      'src/planted/p5.ts#h',
    ]);
    expect(hits.map((h) => h.reason)).toEqual([null, null, null, null, null, 'a reason']);
  });
});
