import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes a file only its owner can read (0600) in a folder only its owner can enter (0700). */
export function writePrivate(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
