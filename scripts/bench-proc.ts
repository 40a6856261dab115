/**
 * Linux /proc readings for `npm run bench`: resident memory and CPU time per process, PostgreSQL's
 * postmaster and backends included, so the report shows where the two cores went.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null; // the process ended between listing and reading
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may itself contain spaces). */
function statFields(pid: number): string[] | null {
  const s = read(`/proc/${pid}/stat`);
  return s ? s.slice(s.lastIndexOf(')') + 2).split(' ') : null;
}

/** User + system CPU time of a process, in milliseconds. */
export function cpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND : 0;
}

/** VmRSS (what `ps` shows) and Pss (shared pages divided among their users, so sums are honest), in kB. */
export function memoryKb(pid: number): { rss: number; pss: number } {
  const status = read(`/proc/${pid}/status`) ?? '';
  const rollup = read(`/proc/${pid}/smaps_rollup`) ?? '';
  const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { rss: kb(status, 'VmRSS'), pss: kb(rollup, 'Pss') };
}

/** The postmaster (first line of postmaster.pid) and every process it forked. */
export function postgresPids(postmasterPidFile: string): number[] {
  return withChildren(Number((read(postmasterPidFile) ?? '').split('\n')[0]));
}

/** A process and the processes it forked (GATEWAY_WORKERS: the primary and its workers). */
export function withChildren(parent: number): number[] {
  if (!parent) return [];
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => Number(statFields(pid)?.[1]) === parent);
  return [parent, ...children];
}

/** Whole-machine busy and total jiffies from /proc/stat, to tell how saturated the cores were. */
export function machineTicks(): { busy: number; total: number } {
  const line = (read('/proc/stat') ?? '').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const idle = (line[3] ?? 0) + (line[4] ?? 0);
  const total = line.reduce((a, b) => a + (b || 0), 0);
  return { busy: total - idle, total };
}

export function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.type()} ${os.release()}`;
}

/** The q-quantile (0–1) of an ascending list, nearest rank. */
export function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}
