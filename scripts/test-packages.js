// `npm run test:packages`: the packages as a merchant installs them, from the tarballs `npm pack` makes, in fresh
// projects outside the repository (a file missing from a package's `files`, or found through the repository's
// working directory, fails here and nowhere else):
//   1. the client alone (packages/antom-client): installed, it brings at most MAX_CLIENT_PACKAGES packages (itself
//      included), loads, and signs a request that its own verifier accepts;
//   2. a merchant project (examples/merchant-shop, its package.json written here with the three tarballs, Jest,
//      @swc/jest and TypeScript from the registry): it compiles against the packages' .d.ts, and its Jest suite runs on
//      the test kit, which boots the gateway from its tarball.
// Installs use the npm cache first (--prefer-offline). Options: --keep (leave the temp dir), --no-build (the
// packages are built already: `npm run build` ran). Exit status 0 only if both pass.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'merchant-shop');
/** The bound (issue 26): the client needs nothing beyond Node, so 1 is expected; 5 leaves room, never 192. */
const MAX_CLIENT_PACKAGES = 5;
const INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline'];
const args = new Set(process.argv.slice(2));
const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

const started = Date.now();
const timings = [];
function step(name, fn) {
  const t = Date.now();
  console.log(`\n== test:packages: ${name}`);
  const out = fn();
  timings.push(`${name} ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return out;
}
function run(cmd, argv, cwd, opts = {}) {
  return execFileSync(cmd, argv, {
    cwd,
    stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    env: opts.env ?? process.env,
  });
}
function fail(message) {
  throw new Error(`test:packages: ${message}`);
}

// Readable by all: run as root, the embedded PostgreSQL runs its binaries (in the merchant project's node_modules)
// as another user, and mkdtemp makes a 0700 directory.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'antom-packages-'));
fs.chmodSync(work, 0o755);
let ok = false;
let summary = '';
try {
  if (!args.has('--no-build')) step('build', () => run('npm', ['run', 'build', '--silent'], ROOT));

  const packs = path.join(work, 'packs');
  fs.mkdirSync(packs);
  const tarballs = step('pack', () => {
    // --ignore-scripts: prepack would build again (just done above).
    const out = run('npm', ['pack', '--workspaces', '--include-workspace-root', '--ignore-scripts', '--json', '--pack-destination', packs], ROOT, {
      capture: true,
    });
    const list = JSON.parse(out);
    const byName = Object.fromEntries(list.map((p) => [p.name, { file: path.join(packs, p.filename), files: p.files.map((f) => f.path) }]));
    for (const name of ['antom-card-gateway', 'antom-client', 'antom-test-kit'])
      if (!byName[name]) fail(`npm pack made no tarball for ${name} (made: ${Object.keys(byName).join(', ')})`);
    // What the gateway reads at run time from its own package, checked by name so the cause is plain.
    for (const file of ['data/bin-table.csv', 'dist/src/bootstrap/boot-product.js', 'dist/src/bootstrap/boot-product.d.ts'])
      if (!byName['antom-card-gateway'].files.includes(file)) fail(`the gateway's tarball lacks ${file}`);
    for (const p of Object.values(byName)) console.log(`${path.basename(p.file)}: ${p.files.length} files`);
    return byName;
  });

  // 1. The client alone.
  const clientCount = step('client alone', () => {
    const dir = path.join(work, 'client-only');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'merchant-backend', version: '1.0.0', private: true }, null, 2));
    run('npm', [...INSTALL, tarballs['antom-client'].file], dir);
    const installed = run('npm', ['ls', '--all', '--parseable'], dir, { capture: true })
      .split('\n')
      .filter((l) => l.trim() && path.resolve(l) !== path.resolve(dir));
    console.log(`installed packages: ${installed.length} (${installed.map((l) => path.relative(path.join(dir, 'node_modules'), l)).join(', ')})`);
    if (installed.length > MAX_CLIENT_PACKAGES) fail(`the client alone installs ${installed.length} packages (at most ${MAX_CLIENT_PACKAGES})`);
    // Loaded from the merchant's node_modules, not from this repository: a request signed and verified.
    const probe = `
      const { generateKeyPairSync } = require('node:crypto');
      const c = require('antom-client');
      if (!require.resolve('antom-client').startsWith(process.cwd())) throw new Error('resolved outside the project');
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const parts = { path: '/ams/api/v1/payments/pay', clientId: 'SANDBOX_PACKED', time: new Date().toISOString(), body: '{"paymentRequestId":"p-1"}' };
      const header = c.signatureHeader(parts, privateKey);
      if (!c.verifySignatureHeader(header, parts, publicKey)) throw new Error('the signature does not verify');
      if (c.verifySignatureHeader(header, { ...parts, body: '{}' }, publicKey)) throw new Error('a changed body verifies');
      if (typeof c.AntomClient !== 'function' || typeof c.NotificationHandler !== 'function') throw new Error('exports missing');
      console.log('client: signed and verified (' + header.slice(0, 40) + '…)');`;
    run(process.execPath, ['-e', probe], dir);
    for (const d of ['dist/index.d.ts', 'dist/wire-types.d.ts'])
      if (!fs.existsSync(path.join(dir, 'node_modules/antom-client', d))) fail(`the client package lacks ${d}`);
    return installed.length;
  });

  // 2. The merchant project on the test kit.
  step('merchant project', () => {
    const dir = path.join(work, 'merchant-shop');
    fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)$/.test(src) });
    const dev = rootPkg.devDependencies;
    const pkg = {
      name: 'merchant-shop',
      version: '1.0.0',
      private: true,
      scripts: { test: 'jest --runInBand' },
      dependencies: {
        'antom-client': `file:${tarballs['antom-client'].file}`,
      },
      devDependencies: {
        'antom-card-gateway': `file:${tarballs['antom-card-gateway'].file}`,
        'antom-test-kit': `file:${tarballs['antom-test-kit'].file}`,
        // The versions this repository tests with (its own devDependencies), so the npm cache serves them.
        jest: dev.jest,
        '@swc/core': dev['@swc/core'],
        '@swc/jest': dev['@swc/jest'],
        // The packages' .d.ts are checked as a TypeScript merchant compiles against them.
        typescript: dev.typescript,
        '@types/jest': dev['@types/jest'],
        '@types/node': dev['@types/node'],
      },
      // npm 11 lists install scripts nobody reviewed (packages/antom-test-kit/README.md "Install scripts").
      allowScripts: rootPkg.allowScripts,
    };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    step('merchant install', () => run('npm', INSTALL, dir));
    for (const name of ['antom-card-gateway', 'antom-client', 'antom-test-kit']) {
      const where = fs.realpathSync(path.join(dir, 'node_modules', name));
      if (!where.startsWith(fs.realpathSync(dir))) fail(`${name} resolves outside the merchant project (${where})`);
    }
    // Nothing of the repository's environment: its TEST_* settings and a DATABASE_URL are not a merchant's.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|DATABASE_URL$|JEST_|ANTOM_)/.test(k)));
    step('merchant typecheck', () => run('npx', ['tsc', '-p', 'tsconfig.json'], dir));
    step('merchant jest', () => run('npx', ['jest', '--runInBand', '--ci'], dir, { env }));
  });
  ok = true;
  summary = `the client alone installs ${clientCount} package(s)`;
} catch (e) {
  console.error(`\n${e.message}`);
} finally {
  if (args.has('--keep')) console.log(`kept: ${work}`);
  else step('clean up', () => fs.rmSync(work, { recursive: true, force: true }));
}
const took = `${((Date.now() - started) / 1000).toFixed(1)} s (${timings.join(', ')})`;
if (ok) console.log(`\ntest:packages: passed in ${took}; ${summary}`);
else console.error(`test:packages: FAILED after ${took}`);
process.exit(ok ? 0 : 1);
