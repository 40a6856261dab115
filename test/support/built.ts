import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * Suites that run what an operator runs (dist/src/main.js, dist/scripts/*.js) need the build to be current.
 * `npm test` builds once before Jest; a suite run alone after an edit builds here, once: re-running tsc in
 * every such suite cost ~4 s each even with nothing to do (10 suites did), more on a loaded machine.
 */
const ROOT = path.resolve(__dirname, '../..');
/** What tsconfig.build.json compiles. */
const SOURCES = ['src', 'sandbox', 'migrations', 'scripts', 'client', 'testing', 'tsconfig.json', 'tsconfig.build.json'];
/** Touched after every build made here (tsc does not rewrite its build info when nothing changed). */
const STAMP = path.join(ROOT, 'dist', '.built-for-tests');
const BUILD_INFO = path.join(ROOT, 'dist', '.tsbuildinfo.build');
const LOCK = path.join(ROOT, 'dist', '.building-for-tests');

function newestSource(p: string): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return p.endsWith('.ts') || p.endsWith('.json') ? st.mtimeMs : 0;
  let newest = st.mtimeMs; // a deleted file changes its directory
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestSource(path.join(p, e)));
  return newest;
}

function builtAt(): number {
  return Math.max(...[STAMP, BUILD_INFO].map((f) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0));
}

const current = () => fs.existsSync(path.join(ROOT, 'dist', 'src', 'main.js')) && SOURCES.every((s) => newestSource(path.join(ROOT, s)) <= builtAt());

/** Builds dist/ unless it is already newer than every source it is made from; parallel workers build once between them. */
export function ensureBuilt(): void {
  if (current()) return;
  fs.mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  for (let tries = 0; ; tries++) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // Another worker is building: wait for it (bounded by count; a stale lock from a killed run is taken over).
      if (tries >= 600) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      if (!fs.existsSync(LOCK)) return ensureBuilt();
    }
  }
  try {
    if (!current()) {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
      fs.writeFileSync(STAMP, new Date().toISOString());
    }
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
