import * as ts from 'typescript';

import { SourceFile } from './import-graph';

/*
 * Functions declared to return `Record<string, unknown>` (directly, in a union with null / undefined, as an array,
 * in a Promise, or through a local alias of it): the untyped answers issue 24 counted. Measured
 * with this detector: 77 in src/ before the wire types of src/antom/wire (the 64 of the plain form, and 13
 * in a union, an array, a Promise of those or a local alias), 6 after. Parsing is the TypeScript compiler's, so methods, arrow functions, function
 * types and signatures all count.
 */
export interface UntypedReturn {
  /** `src/x/y.ts#Class.method` or `src/x/y.ts#function`. */
  id: string;
  line: number;
  /** The `// Record: …` comment above it, if any: why it stays untyped. */
  reason: string | null;
}

const RECORD = 'Record<string, unknown>';

export function untypedReturns(files: SourceFile[]): UntypedReturn[] {
  const out: UntypedReturn[] = [];
  for (const f of files) {
    const sf = ts.createSourceFile(f.path, f.text, ts.ScriptTarget.Latest, true);
    const aliases = new Set<string>();
    sf.forEachChild((n) => {
      if (ts.isTypeAliasDeclaration(n) && squash(n.type.getText(sf)) === RECORD) aliases.add(n.name.text);
    });
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && node.type && isUntyped(node.type.getText(sf), aliases)) {
        out.push({
          id: `${f.path}#${nameOf(node, sf)}`,
          line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
          reason: reasonOf(node, sf),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

const squash = (t: string) => t.replace(/\s+/g, ' ').trim();

function isUntyped(returnType: string, aliases: Set<string>): boolean {
  let t = squash(returnType);
  const promise = /^Promise<(.*)>$/.exec(t);
  if (promise) t = promise[1];
  return t
    .split('|')
    .map((m) =>
      m
        .trim()
        .replace(/^Array<(.*)>$/, '$1')
        .replace(/\[\]$/, ''),
    )
    .some((m) => m === RECORD || aliases.has(m));
}

function nameOf(node: ts.SignatureDeclaration, sf: ts.SourceFile): string {
  const own = node.name?.getText(sf);
  const parent = node.parent;
  const owner = parent && (ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent)) && parent.name ? `${parent.name.text}.` : '';
  if (own) return owner + own;
  // An arrow function or function type: named by what holds it.
  for (let p: ts.Node | undefined = parent; p; p = p.parent) {
    if ((ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isParameter(p) || ts.isPropertySignature(p)) && p.name)
      return `${p.name.getText(sf)} (function value)`;
    if (ts.isFunctionLike(p) && p.name) return `${p.name.getText(sf)} (a function in it)`;
  }
  return '(anonymous)';
}

/** The `// Record: why` line comment right above the declaration (after its doc comment, if any). */
function reasonOf(node: ts.Node, sf: ts.SourceFile): string | null {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  for (const r of ranges) {
    const m = /^\/\/\s*Record:\s*(\S.*)$/.exec(sf.text.slice(r.pos, r.end));
    if (m) return m[1];
  }
  return null;
}
