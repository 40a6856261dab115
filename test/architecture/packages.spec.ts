import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/*
 * Issue 26, "packages a merchant would install": the client ships alone, the kit depends on the gateway and the
 * client, the gateway ships the files it reads from its own package, and CI installs all three from their tarballs
 * (scripts/test-packages.js does the installing; this only holds the declarations to it, fast).
 */
const ROOT = path.join(__dirname, '../..');
const pkg = (dir: string) => JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));

describe('packages', () => {
  const gateway = pkg('.');
  const client = pkg('packages/antom-client');
  const kit = pkg('packages/antom-test-kit');

  it('are the workspaces, at the gateway version', () => {
    expect(gateway.workspaces).toEqual(['packages/antom-client', 'packages/antom-test-kit']);
    expect([client.name, client.version, kit.name, kit.version]).toEqual(['antom-client', gateway.version, 'antom-test-kit', gateway.version]);
  });

  it('the client has no dependency: Node is all it needs', () => {
    expect([client.dependencies, client.peerDependencies, client.optionalDependencies]).toEqual([undefined, undefined, undefined]);
  });

  it('the kit depends on the gateway and the client, at their versions', () => {
    expect(kit.dependencies).toEqual({ 'antom-card-gateway': gateway.version, 'antom-client': client.version });
  });

  it('the gateway ships data/ (BIN_TABLE_FILE: src/config/package-root.ts) and exports the kit its boot entry', () => {
    expect(gateway.files).toContain('data/');
    expect(Object.keys(gateway.exports)).toEqual(['./boot', './package.json']);
    expect(gateway.exports['./boot'].default).toBe('./dist/src/bootstrap/boot-product.js');
  });

  it('CI packs and installs them (.ci/run), after npm test', () => {
    const ci = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    expect(gateway.scripts['test:packages']).toBe('node scripts/test-packages.js');
    expect(ci.indexOf('\nstep npm run test:packages')).toBeGreaterThan(ci.indexOf('\nstep npm test\n'));
  });
});
