import * as path from 'node:path';

import * as ts from 'typescript';

import { SourceFile } from './import-graph';

/*
 * The architecture as data (docs/ARCHITECTURE.md says the same in words). Layers, top to bottom:
 *
 *   edges        bootstrap (start-up, main.ts) · merchant-api · acquirer-api · admin · openapi (the API's description)
 *   features     authorization (pay) · operations (capture, cancel, refund, inquiry, expiry, updateAmount)
 *                · vaulting (Antom's vaults/*) · card-info (getCardInfo, inquireInstallment, consult)
 *   lifecycle    acquirer-answers (everything the acquirer says is applied here; "settlement" before 7 Dec 2026)
 *   parts        card-features (pure rules) · notifications (merchant outbox) · pci (vault, card collection)
 *                · upstream (the acquirer port) · merchants
 *   aggregate    payments (entities, state machine, guards, the only writer of its tables) · audit
 *   base         platform (database, logs, metrics, keys) · antom (the wire protocol) · config
 *
 * A module may import only the modules listed for it. A new folder fails the test until it is placed.
 */
export const MAY_IMPORT: Record<string, string[]> = {
  // payments, acquirer-answers, operations: by the test kit's boot entry (boot-product.ts, product-controls.ts: a payment's
  // acquirer id for the sandbox's controls; settle now runs the reconciliation worker, the clock the expiry worker).
  bootstrap: [
    'acquirer-answers',
    'acquirer-api',
    'admin',
    'antom',
    'config',
    'merchant-api',
    'merchants',
    'notifications',
    'openapi',
    'operations',
    'payments',
    'pci',
    'platform',
    'upstream',
  ],
  'merchant-api': ['authorization', 'operations', 'vaulting', 'card-info', 'pci', 'merchants', 'antom', 'config', 'platform'],
  'acquirer-api': ['acquirer-answers', 'upstream', 'antom', 'config', 'platform'],
  // Describes the merchant edge from the wire types (antom: the request DTOs and the answers' schemas).
  openapi: ['antom'],
  admin: ['operations', 'notifications', 'merchants', 'audit', 'antom', 'config', 'platform'],
  authorization: ['acquirer-answers', 'card-features', 'notifications', 'pci', 'upstream', 'merchants', 'payments', 'antom', 'config', 'platform'],
  operations: ['acquirer-answers', 'upstream', 'merchants', 'payments', 'antom', 'config', 'platform'],
  vaulting: ['notifications', 'pci', 'merchants', 'antom', 'config', 'platform'],
  'acquirer-answers': ['card-features', 'notifications', 'pci', 'upstream', 'merchants', 'payments', 'antom', 'config', 'platform'],
  // getCardInfo / inquireInstallment / consult: the BIN table, the installment offers, the card option. A feature
  // answered from the gateway's own data: the installment rules (card-features), the BIN of a card number and the
  // brands brand detection pays (pci), no payment.
  'card-info': ['card-features', 'pci', 'antom', 'config', 'platform'],
  'card-features': ['pci', 'antom'],
  notifications: ['payments', 'antom', 'config', 'platform'],
  pci: ['antom', 'config', 'platform'],
  upstream: ['antom', 'config', 'platform'],
  merchants: ['notifications', 'audit', 'antom', 'config', 'platform'],
  payments: ['antom', 'platform'],
  audit: ['config', 'platform'],
  platform: ['antom', 'config', 'migrations'],
  antom: [],
  config: [],
  migrations: [],
};

/** 'src/payments/x.ts' → 'payments'; src/main.ts belongs to start-up. */
export function moduleOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'src') return parts.length === 2 ? 'bootstrap' : parts[1];
  return parts[0];
}

/** The one file that loads the sandbox (by a lazy require, only when the bundled sandbox is used). */
export const SANDBOX_LOADER = 'src/bootstrap/bundled-sandbox.ts';
/** The sandbox is another party: it shares the wire protocol and nothing else. */
export const SANDBOX_MAY_IMPORT = ['src/antom/'];

/** The repositories of the payment aggregate: the only files whose SQL may write its tables. */
export const PAYMENT_TABLE_WRITERS = [
  'src/payments/payments.repository.ts',
  'src/payments/operations.repository.ts',
  'src/payments/automatic-capture.repository.ts',
  'src/payments/amount-updates.repository.ts',
  'src/payments/redrive-lease.repository.ts',
];
/** SQL writes of payment / payment_event / capture / refund, and TypeORM writes of their entities. */
export const PAYMENT_TABLE_WRITE =
  /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:payment|payment_event|capture|refund)\b|\.(?:update|insert|save|delete|upsert)\(\s*(?:Payment|PaymentEvent|Capture|Refund)\b|getMetadata\(\s*(?:Payment|Capture|Refund)\b/g;

/** A TypeORM row lock (`lock: { mode: 'pessimistic_write' }`): taken only in a repository (a money operation locks its payment through PaymentsRepository.lockForMerchant). */
export const ROW_LOCK = /\block:\s*\{\s*mode:/g;

export const PCI_FOLDER = 'src/pci/';
/** SQL naming the vault's tables. */
export const CARD_TABLE_SQL = /\b(?:FROM|JOIN|INTO|UPDATE)\s+(?:card|card_secret)\b/gi;

/**
 * The wire shape of a merchant's pay request holds card fields by definition: it is validated and
 * handed to the PCI folder, never kept (the log redaction lists the same fields).
 */
const CARD_SHAPE_ALLOWED = ['src/antom/requests/'];

/** Declared shapes (interfaces, classes, type literals) with `cardNo` and `cvv` or an expiry field. */
export function cardTypeCopies(file: SourceFile): string[] {
  if (CARD_SHAPE_ALLOWED.some((p) => file.path.startsWith(p))) return [];
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node) || ts.isTypeLiteralNode(node)) {
      const names = new Set(node.members.map((m) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : '')));
      if (names.has('cardNo') && (names.has('cvv') || names.has('expiryMonth') || names.has('expiryYear'))) {
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
        out.push(`${file.path}:${line + 1}: a card-shaped type outside ${PCI_FOLDER}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/*
 * The merchant's side, shipped as packages of their own (npm workspaces, packages/): the client is another party,
 * like the sandbox, and imports nothing outside its package (its .d.ts ship alone: a type import of the gateway
 * would dangle in a merchant's node_modules; test/client/request-types-match.ts holds its request types to the
 * gateway's DTOs). The test kit boots the product through the gateway package's public entry
 * (`antom-card-gateway/boot`, src/bootstrap/boot-product.ts) and uses the client by its package name: it imports
 * nothing by path outside its package. An example merchant project imports the packages by their names only.
 */
export const CLIENT_FOLDER = 'packages/antom-client/src/';
export const CLIENT_TYPE_IMPORTS: string[] = [];
export const TESTING_FOLDER = 'packages/antom-test-kit/src/';
export const TESTING_MAY_IMPORT = [TESTING_FOLDER];

/** Each relative import of a file with whether it is type-only (`import type`, `export type`, `import('…')` types). */
export function relativeImports(file: SourceFile): Array<{ to: string; typeOnly: boolean }> {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Array<{ to: string; typeOnly: boolean }> = [];
  const add = (spec: ts.Expression | undefined, typeOnly: boolean) => {
    if (spec && ts.isStringLiteralLike(spec) && spec.text.startsWith('.')) out.push({ to: resolveFrom(file.path, spec.text), typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      // Only `import type` is erased for certain: `import { type X }` leaves `require()` under verbatimModuleSyntax.
      add(node.moduleSpecifier, !!node.importClause?.isTypeOnly);
    } else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, node.isTypeOnly);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression, node.isTypeOnly);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    )
      add(node.arguments[0], false);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal as ts.Expression, true);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** SQL (a `.query(` call, or a string literal that reads as a statement) may live only in these places. */
export const SQL_HOMES = { suffix: '.repository.ts', folders: ['src/platform/database/'] };
/**
 * The debt, made visible: files that still run SQL outside a repository. The list may only shrink; an
 * exact file that no longer holds SQL must leave it (the test says so).
 */
export const SQL_OUTSIDE_REPOSITORIES: Array<{ path: string; why: string }> = [
  // Empty since 2 Dec 2026: every statement is in a repository. The list may not grow.
];
/** Statement-shaped text: uppercase keywords, so prose in strings does not count. */
const SQL_TEXT = /\b(?:SELECT\b[\s\S]*?\bFROM\b|SELECT\s+(?:1\b|pg_\w+\(|count\()|INSERT\s+INTO\b|UPDATE\s+"?\w+"?\s+SET\b|DELETE\s+FROM\b)/;

/** `.query(` calls and SQL string literals (comments do not count: the compiler's parse). */
export function sqlUses(file: SourceFile): string[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const at = (n: ts.Node) => `${file.path}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node): void => {
    let text: string | undefined;
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) text = n.text;
    else if (ts.isTemplateExpression(n)) text = [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ? ');
    if (text && SQL_TEXT.test(text)) out.push(`${at(n)}: SQL text`);
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'query') out.push(`${at(n)}: .query(`);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function resolveFrom(from: string, spec: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec.replace(/\.js$/, '')));
}

export function clientViolations(files: SourceFile[]): string[] {
  return files.flatMap((f) =>
    relativeImports(f)
      .filter((e) => !e.to.startsWith(CLIENT_FOLDER) && !(e.typeOnly && CLIENT_TYPE_IMPORTS.some((p) => e.to.startsWith(p))))
      .map((e) => `${f.path} → ${e.to}: the client imports only itself (its package ships alone)`),
  );
}

export function testingViolations(files: SourceFile[]): string[] {
  return files.flatMap((f) =>
    relativeImports(f)
      .filter((e) => !TESTING_MAY_IMPORT.some((p) => e.to.startsWith(p)))
      .map((e) => `${f.path} → ${e.to}: the test kit reaches the product by package name (antom-card-gateway/boot), never by path`),
  );
}

/** `examples/<project>/…` may reach nothing outside its own project by path. */
export function exampleViolations(files: SourceFile[]): string[] {
  return files.flatMap((f) => {
    const project = f.path.split('/').slice(0, 2).join('/') + '/';
    return relativeImports(f)
      .filter((e) => !e.to.startsWith(project))
      .map((e) => `${f.path} → ${e.to}: an example imports the package by its name, not by path`);
  });
}
export const isSqlHome = (path: string) => path.endsWith(SQL_HOMES.suffix) || SQL_HOMES.folders.some((f) => path.startsWith(f));
export const isSqlDebt = (path: string) => SQL_OUTSIDE_REPOSITORIES.some((d) => (d.path.endsWith('/') ? path.startsWith(d.path) : path === d.path));

/*
 * Console routes deny by default (PCI DSS 7.2, 7.3.3): every route of a controller under src/admin/ declares who
 * may use it, on the method or on its class: AllowRoles(...), the explicit AllowAnySignedIn() of the account
 * pages, or PublicRoute() (sign-in pages, assets), which only a controller without AdminGuard may carry. AdminGuard
 * refuses an undeclared route at run time; this rule refuses it before it ships.
 */
export const ADMIN_FOLDER = 'src/admin/';
const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options']);
const ROLE_DECLARATIONS = new Set(['AllowRoles', 'AllowAnySignedIn']);

function decoratorNames(node: ts.Node): string[] {
  return (ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : []).map((d) => {
    const e = d.expression;
    const callee = ts.isCallExpression(e) ? e.expression : e;
    return ts.isIdentifier(callee) ? callee.text : '';
  });
}

function guardedByAdminGuard(node: ts.ClassDeclaration): boolean {
  return (ts.getDecorators(node) ?? []).some(
    (d) =>
      ts.isCallExpression(d.expression) &&
      ts.isIdentifier(d.expression.expression) &&
      d.expression.expression.text === 'UseGuards' &&
      d.expression.arguments.some((a) => ts.isIdentifier(a) && a.text === 'AdminGuard'),
  );
}

export function undeclaredAdminRoutes(file: SourceFile): string[] {
  if (!file.path.startsWith(ADMIN_FOLDER)) return [];
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && decoratorNames(node).includes('Controller')) {
      const onClass = decoratorNames(node);
      const guarded = guardedByAdminGuard(node);
      const where = `${file.path}:${node.name?.text ?? 'class'}`;
      if (guarded && onClass.includes('PublicRoute')) out.push(`${where}: PublicRoute() on a controller behind AdminGuard`);
      if (!guarded && !onClass.includes('PublicRoute') && node.members.some((m) => decoratorNames(m).some((n) => ROUTE_DECORATORS.has(n)))) {
        out.push(`${where}: routes without AdminGuard must say PublicRoute() on the class`);
      }
      for (const m of node.members) {
        const onMethod = decoratorNames(m);
        if (!onMethod.some((n) => ROUTE_DECORATORS.has(n))) continue;
        if (onMethod.includes('PublicRoute')) out.push(`${where}.${m.name?.getText(sf)}: PublicRoute() belongs on the class`);
        if (guarded && ![...onClass, ...onMethod].some((n) => ROLE_DECLARATIONS.has(n))) {
          out.push(`${where}.${m.name?.getText(sf)}: a console route without AllowRoles(...) or AllowAnySignedIn()`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
