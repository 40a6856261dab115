import * as ts from 'typescript';

import { readSources, SourceFile } from './import-graph';

/*
 * The regular expressions written in the code, found by the TypeScript parser (so a `/` in a string, a
 * comment or a division is never taken for one): every regex literal, and every `new RegExp(…)` /
 * `RegExp(…)` call. bounded-work.spec.ts counts them per file against its inventory, and compiles the
 * literals it feeds adversarial input, so what it tests is the expression in the code, not a copy.
 */
export interface RegexInCode {
  /** Repository-relative path. */
  file: string;
  /** 1-based. */
  line: number;
  /** As written: `/…/flags`, or the `new RegExp(…)` call. */
  text: string;
  /** Compiled, for a literal; undefined for a constructor call (its pattern is built at run time). */
  regex?: RegExp;
}

export function regexesIn(file: SourceFile): RegexInCode[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
  const out: RegexInCode[] = [];
  const visit = (n: ts.Node): void => {
    const literal = n.kind === ts.SyntaxKind.RegularExpressionLiteral;
    const call = (ts.isNewExpression(n) || ts.isCallExpression(n)) && n.expression.getText(sf) === 'RegExp';
    if (literal || call) {
      const text = n.getText(sf);
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      const slash = text.lastIndexOf('/');
      out.push({ file: file.path, line, text, regex: literal ? new RegExp(text.slice(1, slash), text.slice(slash + 1)) : undefined });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Every regex in the non-spec sources of the given folders (src/, sandbox/). */
export function regexesUnder(root: string, dirs: string[]): RegexInCode[] {
  return dirs
    .flatMap((d) => readSources(root, d))
    .filter((f) => !f.path.endsWith('.spec.ts'))
    .flatMap(regexesIn);
}
