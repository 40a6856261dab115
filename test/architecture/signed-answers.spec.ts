import * as fs from 'node:fs';
import * as path from 'node:path';

import * as ts from 'typescript';

/**
 * Every merchant API answer is signed. Since issue 27 the signer is a plain call at each handler's end
 * (src/merchant-api/response-signer.ts: no Nest interceptor and its rxjs chain per request), so a handler that
 * forgot it would answer unsigned. This holds the shape: in every merchant-api controller, every route handler
 * takes `@Res(ANSWER)` and each of its `return`s is `this.signer.send(req, reply, …)`.
 */
const DIR = path.join(__dirname, '../../src/merchant-api');
const ROUTE = new Set(['Post', 'Get', 'Put', 'Patch', 'Delete', 'All']);

interface Handler {
  file: string;
  name: string;
  returns: string[];
  takesAnswerReply: boolean;
}

function decoratorName(d: ts.Decorator): string | null {
  const e = d.expression;
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) return e.expression.text;
  return ts.isIdentifier(e) ? e.text : null;
}

export function routeHandlers(file: string, text = fs.readFileSync(file, 'utf8')): Handler[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: Handler[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isMethodDeclaration(node) && node.body) {
      const decorators = ts.getDecorators(node) ?? [];
      if (decorators.some((d) => ROUTE.has(decoratorName(d) ?? ''))) {
        const returns: string[] = [];
        const collect = (n: ts.Node): void => {
          if (ts.isReturnStatement(n)) returns.push(n.expression ? n.expression.getText(sf) : '');
          // Nested functions return for themselves.
          if (!ts.isFunctionLike(n)) ts.forEachChild(n, collect);
        };
        ts.forEachChild(node.body, collect);
        const takesAnswerReply = node.parameters.some((p) => (ts.getDecorators(p) ?? []).some((d) => d.expression.getText(sf) === 'Res(ANSWER)'));
        out.push({ file: path.basename(file), name: node.name.getText(sf), returns, takesAnswerReply });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const signed = (r: string) => /^this\.signer\.send\(req, reply, [\s\S]+\)$/.test(r);

describe('architecture: every merchant API answer goes through the signer', () => {
  const files = fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.controller.ts'))
    .map((f) => path.join(DIR, f));
  const handlers = files.flatMap((f) => routeHandlers(f));

  it('finds the merchant API handlers (18 APIs today)', () => {
    expect(handlers.length).toBeGreaterThanOrEqual(18);
  });

  it('each handler borrows the reply and returns only this.signer.send(req, reply, …)', () => {
    const unsigned = handlers.filter((h) => !h.takesAnswerReply || h.returns.length === 0 || !h.returns.every(signed));
    expect(unsigned.map((h) => `${h.file} ${h.name}: ${h.returns.join(' | ') || 'no return'}`)).toEqual([]);
  });

  it('catches a planted handler that returns its answer unsigned', () => {
    const planted = `@Controller() export class X {
      @Post('a') async a(@Req() req: R, @Res(ANSWER) reply: F) { return this.signer.send(req, reply, await this.s.a()); }
      @Post('b') async b(@Req() req: R, @Res(ANSWER) reply: F) { if (x) return this.s.b(); return this.signer.send(req, reply, {}); }
      @Post('c') async c(@Req() req: R) { return this.signer.send(req, reply, {}); }
    }`;
    const found = routeHandlers('planted.controller.ts', planted);
    expect(found.map((h) => [h.name, h.takesAnswerReply && h.returns.every(signed)])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
    ]);
  });
});
