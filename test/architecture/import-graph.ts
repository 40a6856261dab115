import * as fs from 'node:fs';
import * as path from 'node:path';

import * as ts from 'typescript';

/*
 * The PCI boundary as data, checked by pci-boundary.spec.ts over the import graph of src/: only the vault
 * and card-collection may touch the raw card type, the validated card, the reveal function or the key
 * material. Parsing is the TypeScript compiler's, so every import form counts: import, import type,
 * export-from, import = require, require() and import().
 */
export interface BoundaryRule {
  /** Repository-relative path of the guarded module, or a folder ending in '/'. */
  module: string;
  /** Guarded exported names; '*' guards the whole module. */
  symbols: string[] | '*';
  why: string;
}

export const PCI_SCOPE = ['src/pci/'];

export const BOUNDARY_RULES: BoundaryRule[] = [
  { module: 'src/pci/vault/raw-card.ts', symbols: ['RawCard'], why: 'the decrypted card' },
  { module: 'src/pci/card-collection/validation/card-validation.ts', symbols: '*', why: 'ValidCard and the validator hold the raw card' },
  { module: 'src/pci/card-collection/collected-card.ts', symbols: ['revealCollectedCard'], why: 'reveals the raw card inside a CollectedCard' },
  { module: 'src/pci/vault/crypto/', symbols: '*', why: 'key material and the envelope primitives' },
];

export interface SourceFile {
  /** Repository-relative, forward slashes. */
  path: string;
  text: string;
}

export interface ImportEdge {
  from: string;
  to: string;
  /** Named symbols; '*' for a namespace import, export *, require() or import(). */
  symbols: string[] | '*';
}

export interface Violation extends ImportEdge {
  rule: BoundaryRule;
}

export function findViolations(files: SourceFile[], rules = BOUNDARY_RULES, scope = PCI_SCOPE): Violation[] {
  const out: Violation[] = [];
  for (const file of files) {
    if (scope.some((s) => file.path.startsWith(s))) continue;
    for (const edge of importsOf(file)) {
      for (const rule of rules) if (breaks(edge, rule)) out.push({ ...edge, rule });
    }
  }
  return out;
}

function breaks(edge: ImportEdge, rule: BoundaryRule): boolean {
  const hit = rule.module.endsWith('/') ? edge.to.startsWith(rule.module) : edge.to === rule.module;
  if (!hit) return false;
  if (rule.symbols === '*' || edge.symbols === '*') return true;
  return edge.symbols.some((s) => (rule.symbols as string[]).includes(s));
}

/** Every module a file imports, resolved to a repository-relative .ts path (relative specifiers only). */
export function importsOf(file: SourceFile): ImportEdge[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (spec: ts.Expression | undefined, symbols: string[] | '*') => {
    if (!spec || !ts.isStringLiteralLike(spec) || !spec.text.startsWith('.')) return;
    edges.push({ from: file.path, to: resolve(file.path, spec.text), symbols });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, importedNames(node.importClause));
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, exportedNames(node));
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression, '*');
    else if (ts.isCallExpression(node) && isRequireOrImport(node)) add(node.arguments[0], '*');
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      add(node.argument.literal as ts.Expression, node.qualifier ? [qualifierHead(node.qualifier)] : '*');
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

function importedNames(clause: ts.ImportClause | undefined): string[] | '*' {
  if (!clause) return '*'; // a side-effect import runs the whole module
  const names: string[] = [];
  if (clause.name) names.push('default');
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) return '*';
  if (bindings) for (const el of bindings.elements) names.push((el.propertyName ?? el.name).text);
  return names;
}

function exportedNames(node: ts.ExportDeclaration): string[] | '*' {
  const clause = node.exportClause;
  if (!clause || ts.isNamespaceExport(clause)) return '*';
  return clause.elements.map((el) => (el.propertyName ?? el.name).text);
}

function isRequireOrImport(node: ts.CallExpression): boolean {
  return node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require');
}

function qualifierHead(q: ts.EntityName): string {
  return ts.isIdentifier(q) ? q.text : qualifierHead(q.left);
}

/** './x' from 'src/a/b.ts' → 'src/a/x.ts' (or 'src/a/x/index.ts' when that is what exists on disk). */
function resolve(from: string, spec: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec.replace(/\.js$/, '')));
  if (base.endsWith('.ts')) return base;
  return fs.existsSync(`${base}.ts`) || !fs.existsSync(path.join(base, 'index.ts')) ? `${base}.ts` : `${base}/index.ts`;
}

/** All .ts files under a folder, repository-relative. */
export function readSources(root: string, dir = 'src'): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts')) out.push({ path: child, text: fs.readFileSync(path.join(root, child), 'utf8') });
    }
  };
  walk(dir);
  return out;
}

/**
 * The file-level import cycles (strongly connected components of more than one file, or a file importing
 * itself), each as its files sorted. Type-only imports count: a cycle of types is still two files that
 * cannot be read one without the other. Tarjan's algorithm, iterative (no recursion depth to hit).
 */
export function fileCycles(files: SourceFile[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const f of files)
    graph.set(
      f.path,
      importsOf(f).map((e) => e.to),
    );
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; edges: string[]; i: number }[] = [];
    const open = (node: string) => {
      index.set(node, next);
      low.set(node, next++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, edges: (graph.get(node) ?? []).filter((t) => graph.has(t)), i: 0 });
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (top.i < top.edges.length) {
        const to = top.edges[top.i++];
        if (!index.has(to)) open(to);
        else if (onStack.has(to)) low.set(top.node, Math.min(low.get(top.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) !== index.get(top.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== top.node);
      if (component.length > 1 || top.edges.includes(top.node)) out.push(component.sort());
    }
  }
  return out;
}
