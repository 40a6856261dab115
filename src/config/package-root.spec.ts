import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { packageRoot, shippedFile } from './package-root';

describe('packageRoot', () => {
  it('is the directory of the gateway package.json, whatever the working directory', () => {
    const cwd = process.cwd();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-root-'));
    try {
      process.chdir(elsewhere);
      expect(fs.existsSync(shippedFile('data/bin-table.csv'))).toBe(true);
      expect(path.isAbsolute(shippedFile('data/bin-table.csv'))).toBe(true);
    } finally {
      process.chdir(cwd);
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('is found from a built file deep below it (dist/src/config), and its absence is said plainly', () => {
    const root = packageRoot();
    expect(packageRoot(path.join(root, 'dist', 'src', 'config'))).toBe(root);
    expect(() => packageRoot(os.tmpdir())).toThrow(/antom-card-gateway package\.json was not found/);
  });
});
