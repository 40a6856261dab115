import * as fs from 'node:fs';
import * as path from 'node:path';

import { buildOpenApiDocument } from '../../src/openapi/openapi-document';
import { ARTIFACTS } from '../support/merchant-client';
import { OpenApiSchemas } from '../support/openapi-ajv';

/*
 * Runs after every other suite (with the leak scan): every answer a suite's MerchantClient received,
 * hostile inputs and faults included, must match the answer schema /openapi.json gives its path.
 * Requests are not recorded (they carry test cards); test/contract/openapi-traffic checks those.
 */
describe('the OpenAPI answer schemas against every answer of the run', () => {
  const file = path.join(ARTIFACTS, 'answers-by-path.jsonl');

  it('each recorded answer on a documented path matches its schema', () => {
    if (!fs.existsSync(file)) return; // run alone, without the e2e suites: nothing recorded
    const doc = buildOpenApiDocument() as any;
    const schemas = new OpenApiSchemas(doc);
    const problems = new Map<string, number>();
    let checked = 0;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const { path: p, raw } = JSON.parse(line) as { path: string; raw: string };
      const op = doc.paths[p]?.post;
      if (!op) continue; // unknown paths, query strings, absolute-form: answered NO_INTERFACE_DEF or not JSON
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      checked++;
      const found = schemas.problems(OpenApiSchemas.nameOf(op.responses['200'].content['application/json'].schema), body);
      // Grouped: one line per distinct mismatch, with how often it occurred.
      if (found) for (const f of found) problems.set(`${p}: ${f}`, (problems.get(`${p}: ${f}`) ?? 0) + 1);
    }
    expect([...problems].map(([k, n]) => `${n}× ${k}`)).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});
