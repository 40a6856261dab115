import * as fs from 'node:fs';
import * as path from 'node:path';

import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';

import { GatewayConfig } from '../config/gateway-config';
import { AuditRepository, ChainHead } from './audit.repository';
import { AuditKey } from './audit-key';

/*
 * PCI DSS 10.3.2 / 10.3.3: the chain's head is checkpointed outside the database. Each line of the checkpoint
 * file is `audit-checkpoint v1 <time> <id> <hash> <key id> <mac>`, the mac an HMAC-SHA256 under the audit key
 * over the rest of the line; lines are only ever appended. `npm run audit:verify` checks every line's mac and
 * that the row at <id> still has <hash>: rows rewritten or cut off after a checkpoint fail the check even when
 * the chain was recomputed consistently. Ship the file to write-once storage or the SIEM for full effect.
 * AUDIT_CHECKPOINT_FILE, else GATEWAY_DATA_DIR/audit/checkpoints.log.
 */
export const CHECKPOINT_FILE_ENV = 'AUDIT_CHECKPOINT_FILE';
const PREFIX = 'audit-checkpoint v1';
/** A minute of audit entries at most is not yet checkpointed (measured cost: one head read per interval). */
export const CHECKPOINT_INTERVAL_MS = 60_000;

export function checkpointFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[CHECKPOINT_FILE_ENV];
  return configured ? path.resolve(configured) : path.join(dataDir, 'audit', 'checkpoints.log');
}

export function checkpointLine(key: AuditKey, at: Date, id: string, hash: string): string {
  const body = `${PREFIX} ${at.toISOString()} ${id} ${hash} ${key.id}`;
  return `${body} ${key.mac(body)}`;
}

export interface Checkpoints {
  /** id → hash, from every signed line. */
  byId: Map<string, string>;
  /** Lines that are not a checkpoint signed by this key (1-based line numbers with the reason). */
  bad: Array<{ line: number; reason: string }>;
}

export function parseCheckpoints(text: string, key: AuditKey): Checkpoints {
  const byId = new Map<string, string>();
  const bad: Checkpoints['bad'] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(audit-checkpoint v1 \S+ (\d{1,19}) ([0-9a-f]{64}) ([0-9a-f]{16})) ([0-9a-f]{64})$/.exec(line);
    if (!m) return void bad.push({ line: i + 1, reason: 'not a checkpoint line' });
    if (m[4] !== key.id) return void bad.push({ line: i + 1, reason: `signed by another key (${m[4]}, this one is ${key.id})` });
    if (key.mac(m[1]) !== m[5]) return void bad.push({ line: i + 1, reason: 'the signature does not match (the line was altered)' });
    const earlier = byId.get(m[2]);
    if (earlier !== undefined && earlier !== m[3])
      return void bad.push({ line: i + 1, reason: `row ${m[2]} checkpointed with two different hashes` });
    byId.set(m[2], m[3]);
  });
  return { byId, bad };
}

export function readCheckpoints(file: string, key: AuditKey): Checkpoints {
  return parseCheckpoints(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', key);
}

/** Appends a checkpoint of the committed head when it moved since the last one (every instance may; lines are small appends). */
@Injectable()
export class AuditCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private lastId: string | undefined;
  private readonly file: string;

  constructor(
    private readonly rows: AuditRepository,
    private readonly key: AuditKey,
    config: GatewayConfig,
    @Optional() @Inject('AUDIT_CHECKPOINT_MS') private readonly everyMs: number = CHECKPOINT_INTERVAL_MS,
  ) {
    this.file = checkpointFile(config.dataDir);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.checkpoint().catch(() => undefined), this.everyMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checkpoint().catch(() => undefined);
  }

  /** True when a line was written. */
  async checkpoint(now = new Date()): Promise<boolean> {
    const head: ChainHead | undefined = await this.rows.chain().head();
    if (!head || head.last_id === '0' || head.last_id === this.lastId) return false;
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    fs.appendFileSync(this.file, `${checkpointLine(this.key, now, head.last_id, head.last_hash)}\n`, { mode: 0o600 });
    this.lastId = head.last_id;
    return true;
  }
}
