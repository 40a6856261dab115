/** Reading EXPLAIN (ANALYZE, BUFFERS) text: for `npm run bench:scale` and the db-tier plan test (test/db/console-scale.db-spec.ts). */

/** The plan's scan nodes, shortened: "Index Scan Backward using payment_console_created_idx on payment". */
export function scans(plan: string): string {
  const nodes = plan
    .split('\n')
    .map((l) => /((?:Parallel )?(?:Seq|Index|Index Only|Bitmap Heap|Bitmap Index) Scan(?: Backward)?(?: using \S+)?(?: on \S+)?)/.exec(l)?.[1])
    .filter((x): x is string => !!x && !/on merchant|merchant_pkey|admin_approval/.test(x));
  return [...new Set(nodes)].join('; ');
}

/** Rows the payment scans of an EXPLAIN ANALYZE produced (actual rows × loops), plus rows their filters removed. */
export function rowsRead(plan: string): number {
  let total = 0;
  const lines = plan.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /Scan.* on payment p .*actual rows=([\d.]+) loops=(\d+)/.exec(lines[i]);
    if (!m) continue;
    total += Number(m[1]) * Number(m[2]);
    for (let j = i + 1; j < lines.length && /^\s+(Index Cond|Filter|Rows Removed|Recheck|Heap|Buffers|Order By)/.test(lines[j]); j++) {
      const removed = /Rows Removed by (?:Filter|Index Recheck): (\d+)/.exec(lines[j]);
      if (removed) total += Number(removed[1]) * Number(m[2]);
    }
  }
  return Math.round(total);
}

export function buffersOf(plan: string): number {
  const m = /Buffers: shared (?:hit=(\d+))?\s?(?:read=(\d+))?/.exec(plan);
  return m ? Number(m[1] ?? 0) + Number(m[2] ?? 0) : 0;
}
