import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { VaultKeyError } from './errors';
import { freshKeyringData, KeyringData, KeyringSource } from './keyring-data';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const GROUP_OTHER_BITS = 0o077;

/**
 * Development keyring: a JSON file beside the local data, created on first use.
 * Production uses EnvKeyringSource (or a KMS adapter); this file holds raw KEKs,
 * so it must be readable by the owner only and is refused otherwise, the same
 * rule ssh applies to private keys.
 */
export class FileKeyringSource implements KeyringSource {
  constructor(private readonly filePath: string) {}

  load(): KeyringData {
    if (!fs.existsSync(this.filePath)) this.createIfAbsent();
    this.assertPrivate();
    return this.read();
  }

  /** inode + mtime + size: save() renames a new file into place, so each save changes at least the inode. */
  stamp(): string {
    try {
      const s = fs.statSync(this.filePath, { bigint: true });
      return `${s.ino}:${s.mtimeNs}:${s.size}`;
    } catch {
      return 'missing';
    }
  }

  /** Atomic replace: readers see the old or the new keyring, never half of one. */
  save(data: KeyringData): void {
    const tmp = this.writeTemp(data);
    fs.renameSync(tmp, this.filePath);
    syncDir(path.dirname(this.filePath));
  }

  /**
   * Writes a complete temp file, then link()s it into place: link fails with
   * EEXIST if another process created the keyring meanwhile, in which case
   * theirs wins and we read it, instead of two processes using different keys.
   */
  private createIfAbsent(): void {
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true, mode: DIR_MODE });
    const tmp = this.writeTemp(freshKeyringData());
    try {
      fs.linkSync(tmp, this.filePath);
      syncDir(path.dirname(this.filePath));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  private writeTemp(data: KeyringData): string {
    const tmp = `${this.filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = fs.openSync(tmp, 'wx', FILE_MODE);
    try {
      fs.fchmodSync(fd, FILE_MODE); // the umask may only have narrowed it, but be exact
      fs.writeFileSync(fd, JSON.stringify(data, null, 2) + '\n');
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fs.closeSync(fd);
    return tmp;
  }

  private assertPrivate(): void {
    const stat = fs.statSync(this.filePath);
    if (!stat.isFile()) throw new VaultKeyError(`keyring ${this.filePath} is not a regular file`);
    if ((stat.mode & GROUP_OTHER_BITS) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new VaultKeyError(`keyring ${this.filePath} has mode ${mode}, readable or writable by group/others; run chmod 600 on it`);
    }
  }

  private read(): KeyringData {
    try {
      return JSON.parse(fs.readFileSync(this.filePath, 'utf8')) as KeyringData;
    } catch {
      // JSON.parse quotes the offending text in its message: that text is key material.
      throw new VaultKeyError(`keyring ${this.filePath} is not valid JSON`);
    }
  }
}

/** Makes a rename/link durable across a crash; some platforms cannot fsync a directory. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
