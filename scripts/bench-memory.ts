/**
 * BENCH_MEMORY=1: what the gateway's resident memory consists of under the bench's load. Preloaded into the
 * gateway (`node --require dist/scripts/bench-memory.js`), so nothing in src/ knows about it: every 500 ms it
 * appends one JSON line to BENCH_MEMORY_LOG with `process.memoryUsage()` and V8's heap spaces (MB). The bench
 * reads the line of the highest RSS per phase. Native = RSS − V8 heap committed − external (buffers outside
 * the heap): the binary's pages, malloc arenas (OpenSSL, the pg driver, zlib), thread stacks.
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';

const LOG = process.env.BENCH_MEMORY_LOG;
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

export interface MemorySample {
  at: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Per V8 heap space: committed (`size`) and used, MB. */
  spaces: Record<string, { size: number; used: number }>;
}

export function sampleMemory(): MemorySample {
  const m = process.memoryUsage();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: mb(s.space_size), used: mb(s.space_used_size) }]));
  return {
    at: Date.now(),
    rss: mb(m.rss),
    heapTotal: mb(m.heapTotal),
    heapUsed: mb(m.heapUsed),
    external: mb(m.external),
    arrayBuffers: mb(m.arrayBuffers),
    spaces,
  };
}

if (LOG) {
  const fd = fs.openSync(LOG, 'a');
  setInterval(() => fs.writeSync(fd, `${JSON.stringify(sampleMemory())}\n`), 500).unref();
}
