import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/* PCI DSS 6.3.2 / 6.3.3: the evidence scripts CI runs (.ci/run calls them) exist and say what compliance/ claims. */
const scripts = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).scripts as Record<string, string>;

describe('supply-chain evidence scripts', () => {
  it('npm run sbom writes a CycloneDX SBOM of the runtime dependencies (6.3.2)', () => {
    expect(scripts.sbom).toMatch(/^npm sbom --sbom-format cyclonedx --omit dev > sbom\.cdx\.json/);
    expect(readFileSync(path.join(__dirname, '../../.gitignore'), 'utf8').split('\n')).toContain('sbom.cdx.json');
  });
  it('npm run audit:prod audits the runtime dependencies and fails on high or critical (6.3.3); no answer is said, not passed as clean', () => {
    expect(scripts['audit:prod']).toBe('node scripts/audit-prod.js');
    const script = readFileSync(path.join(__dirname, '../../scripts/audit-prod.js'), 'utf8');
    expect(script).toContain("['audit', '--omit=dev', '--json']");
    expect(script).toMatch(/counts\.high \?\? 0\) \+ \(counts\.critical/);
    expect(script).toMatch(/NO RESULT/);
  });

  it('CI runs both (.ci/run)', () => {
    const ci = readFileSync(path.join(__dirname, '../../.ci/run'), 'utf8');
    expect(ci).toMatch(/^step npm run audit:prod$/m);
    expect(ci).toMatch(/^step npm run sbom\b/m);
  });
});
