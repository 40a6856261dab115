import { fileCycles, ImportEdge, importsOf, readSources, SourceFile } from './import-graph';
import {
  CARD_TABLE_SQL,
  cardTypeCopies,
  clientViolations,
  exampleViolations,
  isSqlDebt,
  isSqlHome,
  MAY_IMPORT,
  moduleOf,
  PAYMENT_TABLE_WRITE,
  PAYMENT_TABLE_WRITERS,
  PCI_FOLDER,
  ROW_LOCK,
  SANDBOX_LOADER,
  SANDBOX_MAY_IMPORT,
  SQL_OUTSIDE_REPOSITORIES,
  sqlUses,
  testingViolations,
  undeclaredAdminRoutes,
} from './rules';

/*
 * The architecture as a fast unit test (no database): docs/ARCHITECTURE.md states the same rules.
 * Each rule is also checked against a planted violation, so a rule that silently matches nothing fails.
 */
const ROOT = process.cwd();
const src = readSources(ROOT, 'src').filter((f) => !f.path.endsWith('.spec.ts'));
const sandbox = readSources(ROOT, 'sandbox').filter((f) => !f.path.endsWith('.spec.ts'));
const client = readSources(ROOT, 'packages/antom-client/src').filter((f) => !f.path.endsWith('.spec.ts'));
const testing = readSources(ROOT, 'packages/antom-test-kit/src').filter((f) => !f.path.endsWith('.spec.ts'));
const examples = readSources(ROOT, 'examples');

function moduleViolations(files: SourceFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    const from = moduleOf(f.path);
    for (const e of importsOf(f)) {
      if (e.to.startsWith('sandbox/')) {
        if (f.path !== SANDBOX_LOADER) out.push(`${e.from} imports the sandbox (only ${SANDBOX_LOADER} loads it, lazily)`);
        continue;
      }
      const to = moduleOf(e.to);
      if (to === from || !to) continue;
      const allowed = MAY_IMPORT[from];
      if (!allowed) out.push(`${f.path}: module "${from}" is not in the MAY_IMPORT table`);
      else if (!allowed.includes(to)) out.push(`${e.from} → ${e.to}: "${from}" may not import "${to}"`);
    }
  }
  return out;
}

function sandboxViolations(files: SourceFile[]): string[] {
  const bad = (e: ImportEdge) => !e.to.startsWith('sandbox/') && !SANDBOX_MAY_IMPORT.some((p) => e.to.startsWith(p));
  return files.flatMap((f) =>
    importsOf(f)
      .filter(bad)
      .map((e) => `${e.from} → ${e.to}: the sandbox shares only the protocol (src/antom)`),
  );
}

function tableWriteViolations(files: SourceFile[]): string[] {
  return files
    .filter((f) => !PAYMENT_TABLE_WRITERS.some((w) => f.path.startsWith(w)))
    .flatMap((f) =>
      [...f.text.matchAll(PAYMENT_TABLE_WRITE)].map((m) => `${f.path}: writes a payment table outside its repository (${m[0].trim()})`),
    );
}

function rowLockViolations(files: SourceFile[]): string[] {
  return files
    .filter((f) => !f.path.endsWith('.repository.ts'))
    .flatMap((f) => [...f.text.matchAll(ROW_LOCK)].map(() => `${f.path}: takes a row lock outside a repository`));
}

function cardTableViolations(files: SourceFile[]): string[] {
  return files
    .filter((f) => !f.path.startsWith(PCI_FOLDER))
    .flatMap((f) => [...f.text.matchAll(CARD_TABLE_SQL)].map((m) => `${f.path}: card tables outside ${PCI_FOLDER} (${m[0].trim()})`));
}

function sqlViolations(files: SourceFile[]): string[] {
  return files.filter((f) => !isSqlHome(f.path) && !isSqlDebt(f.path)).flatMap((f) => sqlUses(f).map((u) => `${u} outside a repository`));
}

describe('architecture: the import rules', () => {
  it('every module imports only what the MAY_IMPORT table allows (edge on top, protocol at the bottom)', () => {
    expect(moduleViolations(src)).toEqual([]);
  });

  it('no module imports the merchant edge or the acquirer edge (only start-up wires them)', () => {
    const edges = src
      .flatMap(importsOf)
      .filter((e) => ['merchant-api', 'acquirer-api'].includes(moduleOf(e.to)) && moduleOf(e.from) !== moduleOf(e.to));
    expect(edges.filter((e) => moduleOf(e.from) !== 'bootstrap').map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('the sandbox imports only the protocol, and the gateway loads it in one place', () => {
    expect(sandboxViolations(sandbox)).toEqual([]);
  });

  it('payment, payment_event, capture and refund are written only by their repositories', () => {
    expect(tableWriteViolations(src)).toEqual([]);
  });

  it('the client imports only itself; the test kit reaches the gateway and the client by package name only', () => {
    expect(client.length).toBeGreaterThan(0);
    expect(testing.length).toBeGreaterThan(0);
    expect(clientViolations(client)).toEqual([]);
    expect(testingViolations(testing)).toEqual([]);
  });

  it('an example merchant project imports the package by name, never by path', () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(exampleViolations(examples)).toEqual([]);
  });

  it('no file-level import cycle (type-only imports count): each file can be read after the files it imports', () => {
    expect(fileCycles(src).map((c) => c.join(' → '))).toEqual([]);
  });

  it('row locks are taken only in repositories (an operation locks its payment through PaymentsRepository)', () => {
    expect(rowLockViolations(src)).toEqual([]);
  });

  it('card and card_secret appear in SQL only inside the PCI folder', () => {
    expect(cardTableViolations([...src, ...sandbox])).toEqual([]);
  });

  it('no type outside the PCI folder copies the card (cardNo with cvv or expiry)', () => {
    expect(src.filter((f) => !f.path.startsWith(PCI_FOLDER)).flatMap(cardTypeCopies)).toEqual([]);
  });
});

describe('architecture: console routes deny by default (PCI DSS 7.2, 7.3.3)', () => {
  it('every admin route declares its roles (AllowRoles / AllowAnySignedIn), or its controller is PublicRoute() without AdminGuard', () => {
    expect(src.flatMap(undeclaredAdminRoutes)).toEqual([]);
  });
  it('a planted route without a role, a public route behind the guard, an unguarded controller without the marker', () => {
    const planted = (text: string): SourceFile => ({ path: 'src/admin/controllers/x.controller.ts', text });
    const guarded = (body: string, onClass = '') =>
      planted(`@Controller('admin/x')\n@UseGuards(AdminGuard)\n${onClass}\nexport class X {\n${body}\n}`);
    expect(undeclaredAdminRoutes(guarded("  @Get()\n  page() {}\n  @Post('y')\n  @AllowRoles('admin')\n  y() {}"))).toHaveLength(1);
    expect(undeclaredAdminRoutes(guarded('  @Get()\n  page() {}', '@AllowAnySignedIn()'))).toHaveLength(0);
    expect(undeclaredAdminRoutes(guarded('  @Get()\n  page() {}', "@AllowRoles('viewer')"))).toHaveLength(0);
    expect(undeclaredAdminRoutes(guarded('  @Get()\n  @AllowRoles()\n  page() {}', '@PublicRoute()'))).toHaveLength(1);
    expect(undeclaredAdminRoutes(planted("@Controller('admin/y')\nexport class Y {\n  @Get()\n  page() {}\n}"))).toHaveLength(1);
    expect(undeclaredAdminRoutes(planted("@Controller('admin/y')\n@PublicRoute()\nexport class Y {\n  @Get()\n  page() {}\n}"))).toHaveLength(0);
  });
});

describe('architecture: SQL only in repositories (a ratchet)', () => {
  it('SQL runs only in *.repository.ts, src/platform/database/ and the listed debt', () => {
    expect(sqlViolations(src)).toEqual([]);
  });

  it('every listed debt still holds SQL: a file that was moved leaves the list', () => {
    const stale = SQL_OUTSIDE_REPOSITORIES.filter(
      (d) => !src.some((f) => isSqlDebt(f.path) && (d.path.endsWith('/') ? f.path.startsWith(d.path) : f.path === d.path) && sqlUses(f).length > 0),
    );
    expect(stale.map((d) => d.path)).toEqual([]);
  });
});

describe('architecture: each rule catches its violation', () => {
  it('SQL in a service or a controller, by call or by text; not in a repository nor in a comment', () => {
    const planted = (path: string, text: string): SourceFile => ({ path, text });
    expect(sqlViolations([planted('src/merchants/x.service.ts', "await this.db.query('SELECT 1')")])).toHaveLength(2);
    expect(sqlViolations([planted('src/platform/health/x.controller.ts', 'const s = `UPDATE merchant SET name = $1`;')])).toHaveLength(1);
    expect(sqlViolations([planted('src/merchants/x.repository.ts', "await this.db.query('SELECT 1')")])).toHaveLength(0);
    expect(sqlViolations([planted('src/merchants/x.ts', '// SELECT id FROM merchant FOR UPDATE\nconst note = "select a merchant";')])).toHaveLength(
      0,
    );
  });

  const planted = (path: string, text: string): SourceFile => ({ path, text });

  it('an upward import', () => {
    expect(moduleViolations([planted('src/payments/x.ts', "import { PayRequestDto } from '../merchant-api/cards.controller';")])).toHaveLength(1);
    expect(moduleViolations([planted('src/antom/x.ts', "import { Payment } from '../payments/payment.entity';")])).toHaveLength(1);
    expect(moduleViolations([planted('src/newthing/x.ts', "import { Payment } from '../payments/payment.entity';")])).toHaveLength(1);
  });

  it('a static import of the sandbox, and a sandbox import of the gateway', () => {
    expect(moduleViolations([planted('src/bootstrap/x.ts', "import { startSandbox } from '../../sandbox/sandbox-server';")])).toHaveLength(1);
    expect(sandboxViolations([planted('sandbox/x.ts', "import { GatewayConfig } from '../src/config/gateway-config';")])).toHaveLength(1);
  });

  it('a client import of the gateway, a kit import by path, an example import by path', () => {
    const c = 'packages/antom-client/src/x.ts';
    const k = 'packages/antom-test-kit/src/x.ts';
    expect(clientViolations([planted(c, "import { sign } from '../../../src/antom/signature';")])).toHaveLength(1);
    expect(clientViolations([planted(c, "import type { PayRequestDto } from '../../../src/antom/requests/pay.dto';")])).toHaveLength(1);
    expect(clientViolations([planted(c, "const s = require('../../../src/antom/signature');")])).toHaveLength(1);
    expect(clientViolations([planted(c, "import { post } from './transport';")])).toHaveLength(0);
    expect(testingViolations([planted(k, "import { startSandbox } from '../../../sandbox/sandbox-server';")])).toHaveLength(1);
    expect(testingViolations([planted(k, "import { startEverything } from '../../../src/bootstrap/start-everything';")])).toHaveLength(1);
    expect(testingViolations([planted(k, "import { AntomClient } from '../../antom-client/src/antom-client';")])).toHaveLength(1);
    expect(testingViolations([planted(k, "import { bootProduct } from 'antom-card-gateway/boot';")])).toHaveLength(0);
    expect(exampleViolations([planted('examples/shop/src/x.ts', "import { AntomClient } from '../../../client/antom-client';")])).toHaveLength(1);
    expect(exampleViolations([planted('examples/shop/test/x.ts', "import { Shop } from '../src/shop';")])).toHaveLength(0);
  });

  it('a raw write of a payment table, in SQL or through TypeORM', () => {
    expect(tableWriteViolations([planted('src/operations/x.ts', "await db.query(`UPDATE payment SET status = 'EXPIRED'`)")])).toHaveLength(1);
    expect(
      tableWriteViolations([planted('src/acquirer-answers/x.ts', "await tx.query('INSERT INTO payment_event (payment_id) VALUES ($1)')")]),
    ).toHaveLength(1);
    expect(tableWriteViolations([planted('src/acquirer-answers/x.ts', 'await tx.update(Payment, { id }, { status })')])).toHaveLength(1);
    expect(tableWriteViolations([planted('src/acquirer-answers/x.ts', "await tx.query('SELECT status FROM payment WHERE id = $1')")])).toHaveLength(
      0,
    );
  });

  it('a file cycle, direct or through a third file, type-only included; not a chain', () => {
    expect(fileCycles([planted('src/x/a.ts', "import type { B } from './b';"), planted('src/x/b.ts', "import { a } from './a';")])).toEqual([
      ['src/x/a.ts', 'src/x/b.ts'],
    ]);
    const ring = [
      planted('src/x/a.ts', "import { b } from './b';"),
      planted('src/x/b.ts', "export { c } from './c';"),
      planted('src/x/c.ts', "import { a } from './a';"),
    ];
    expect(fileCycles(ring)).toHaveLength(1);
    expect(
      fileCycles([
        planted('src/x/a.ts', "import { b } from './b';"),
        planted('src/x/b.ts', "import { c } from './c';"),
        planted('src/x/c.ts', 'export const c = 1;'),
      ]),
    ).toEqual([]);
  });

  it('a row lock outside a repository', () => {
    expect(
      rowLockViolations([planted('src/operations/x.service.ts', "await tx.findOne(Payment, { where, lock: { mode: 'pessimistic_write' } })")]),
    ).toHaveLength(1);
    expect(
      rowLockViolations([planted('src/payments/x.repository.ts', "await tx.findOne(Payment, { where, lock: { mode: 'pessimistic_write' } })")]),
    ).toHaveLength(0);
  });

  it('card-table SQL outside the PCI folder', () => {
    expect(cardTableViolations([planted('src/authorization/x.ts', "db.query('UPDATE card SET consent_at = now()')")])).toHaveLength(1);
    expect(cardTableViolations([planted('src/admin/x.ts', "db.query('SELECT * FROM card_secret')")])).toHaveLength(1);
  });

  it('a structural copy of the card type', () => {
    expect(
      cardTypeCopies(
        planted('src/authorization/x.ts', 'export interface ForwardedCard { readonly cardNo: string; readonly expiryMonth: string; cvv?: string }'),
      ),
    ).toHaveLength(1);
    expect(cardTypeCopies(planted('src/authorization/x.ts', 'type C = { cardNo: string; cvv: string }'))).toHaveLength(1);
    expect(cardTypeCopies(planted('src/authorization/x.ts', 'interface Masked { cardNo: string; cardBrand: string }'))).toHaveLength(0);
  });
});
