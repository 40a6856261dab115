import * as fs from 'node:fs';
import * as path from 'node:path';

/** This package's directory, once found (every GatewayConfig asks for it). */
let own: string | undefined;

/**
 * The gateway package's own directory (the one holding its package.json and data/), found from this file's
 * place, whether it runs as source (src/config/) or built (dist/src/config/), in this repository or installed in a
 * merchant's node_modules: the files the package ships are found beside it, never in the caller's working directory.
 */
export function packageRoot(from = __dirname): string {
  if (from === __dirname && own) return own;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'antom-card-gateway') {
      if (from === __dirname) own = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`the antom-card-gateway package.json was not found above ${from}`);
  }
}

/** A file the package ships (e.g. `data/bin-table.csv`), as an absolute path. */
export const shippedFile = (relative: string): string => path.join(packageRoot(), relative);
