import { createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * PCI DSS 10.3.2 / 10.3.4: the audit chain is keyed with HMAC-SHA256 under a key that is not in the database,
 * so someone who can write the database (a stolen app credential, a superuser) cannot recompute a rewritten
 * chain. The key is a file: AUDIT_HMAC_KEY_FILE (production: mounted from the secret store, the same file for
 * every instance and for the CLI), else GATEWAY_DATA_DIR/dev/audit-hmac.key, created 0600 on first use
 * (development only: beside the database, it protects against nothing but accidents).
 */
export const AUDIT_KEY_FILE_ENV = 'AUDIT_HMAC_KEY_FILE';
export const DEV_AUDIT_KEY = path.join('dev', 'audit-hmac.key');
/** 256 bits, the HMAC-SHA256 block-size class; fewer is refused. */
const MIN_KEY_BYTES = 32;

export class AuditKey {
  /** The key's public id: the first 16 hex of HMAC(key, "audit-key-id") (names the key in checkpoints, never reveals it). */
  readonly id: string;

  constructor(
    private readonly key: Buffer,
    readonly source: string,
  ) {
    if (key.length < MIN_KEY_BYTES) throw new Error(`the audit HMAC key in ${source} has ${key.length} bytes; at least ${MIN_KEY_BYTES} are needed`);
    this.id = this.mac('audit-key-id').slice(0, 16);
  }

  /** HMAC-SHA256, hex. */
  mac(content: string): string {
    return createHmac('sha256', this.key).update(content, 'utf8').digest('hex');
  }

  /** The configured file, else the development one under the data directory (created when absent). */
  static load(dataDir: string, env: NodeJS.ProcessEnv = process.env): AuditKey {
    const configured = env[AUDIT_KEY_FILE_ENV];
    const file = configured ? path.resolve(configured) : path.join(dataDir, DEV_AUDIT_KEY);
    if (!configured && !fs.existsSync(file)) createOnce(file);
    return new AuditKey(parseKey(fs.readFileSync(file, 'utf8'), file), file);
  }
}

/** Hex (64+ digits) or base64 of at least 32 bytes; surrounding whitespace ignored. */
function parseKey(text: string, file: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return Buffer.from(t, 'base64');
  throw new Error(`the audit HMAC key in ${file} is neither hex nor base64`);
}

/** Several processes starting at once (cluster workers, the CLI): a complete file is linked into place, one wins. */
function createOnce(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
