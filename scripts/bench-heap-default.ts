/**
 * `BENCH_BASELINE_NODE_ARGS="--require <repo>/dist/scripts/bench-heap-default.js"`: the gateway with V8's own
 * old-generation growing factor, i.e. without the `--heap-growing-percent=50` that src/main.ts sets at start. With
 * `BENCH_BASELINE_DIST` pointing at a copy of the same build, the bench measures that one flag A/B in one run.
 * Loaded before main.ts: it makes main's `v8.setFlagsFromString` skip that flag (and only that one).
 */
// The module object itself (an `import * as` namespace is a copy with getters): main.ts's import reads through to it.
import v8 = require('node:v8');

const original = v8.setFlagsFromString.bind(v8);
v8.setFlagsFromString = (flags: string) => {
  const kept = flags
    .split(/\s+/)
    .filter((f) => f && !f.startsWith('--heap-growing-percent'))
    .join(' ');
  if (kept) original(kept);
};
