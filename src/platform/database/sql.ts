import { EntityMetadata } from 'typeorm';

/**
 * Hand-assembled SQL for the pay hot path. Why not TypeORM's query builder there: `npm run bench` showed
 * every round trip to PostgreSQL costs the gateway ~120 µs of CPU (the socket write wakes a backend) plus
 * the backend's own work, and the builder's per-call string rewriting showed up in the profile too. So a
 * hot write is one statement: data-modifying CTEs, which PostgreSQL runs atomically without BEGIN/COMMIT.
 */
export interface Sql {
  text: string;
  values: unknown[];
}

export const sql = (text: string, values: unknown[] = []): Sql => ({ text, values });

/**
 * `WITH a AS (…), b AS (…) <final>`, renumbering each part's `$n` placeholders so the parts can be
 * written on their own. Parts must not contain `$` other than placeholders (they are all parameterised).
 *
 * The renumbered text depends only on the names, the parts' texts and how many values each part brings, so
 * it is kept per shape (`renumbered`): the regex replace with a callback per placeholder cost the pay ~0.8 %
 * of the gateway's CPU in a `--cpu-prof` of the bench (issue 27), a Map lookup on the joined key a fraction
 * of that (`bench-parts`). The parts are the code's own SQL (values are parameters), so the shapes are few;
 * past `RENUMBERED_MAX` of them the text is built each time, as before, and nothing grows.
 */
export function withCtes(ctes: Array<[name: string, part: Sql]>, final: Sql): Sql {
  const values: unknown[] = [];
  let key = '';
  for (const [name, part] of ctes) {
    key += `${name}\u0000${part.values.length}\u0000${part.text}\u0000`;
    values.push(...part.values);
  }
  key += final.text;
  values.push(...final.values);
  let text = renumbered.get(key);
  if (text === undefined) {
    text = renumber(ctes, final);
    if (renumbered.size < RENUMBERED_MAX) renumbered.set(key, text);
  }
  return { text, values };
}

const RENUMBERED_MAX = 256;
const renumbered = new Map<string, string>();

function renumber(ctes: Array<[name: string, part: Sql]>, final: Sql): string {
  let offset = 0;
  const shift = (p: Sql) => {
    const at = offset;
    offset += p.values.length;
    return p.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + at}`);
  };
  const head = ctes.map(([name, part]) => `${name} AS (${shift(part)})`).join(', ');
  const tail = shift(final);
  return ctes.length ? `WITH ${head} ${tail}` : tail;
}

interface ColumnInfo {
  property: string;
  column: string;
  toDb: (v: unknown) => unknown;
}

const columnCache = new WeakMap<EntityMetadata, ColumnInfo[]>();

/** The entity's columns with the value conversion TypeORM would apply (bigint transformer, jsonb as text). */
function columnsOf(meta: EntityMetadata): ColumnInfo[] {
  let cols = columnCache.get(meta);
  if (!cols) {
    cols = meta.columns.map((c) => {
      const transformer = c.transformer && !Array.isArray(c.transformer) ? c.transformer : undefined;
      const json = c.type === 'jsonb' || c.type === 'json';
      const toDb = (v: unknown) => {
        const t = transformer ? transformer.to(v) : v;
        return json && t != null ? JSON.stringify(t) : t;
      };
      return { property: c.propertyName, column: c.databaseName, toDb };
    });
    columnCache.set(meta, cols);
  }
  return cols;
}

/** INSERT of the properties that are set; unset ones take the column default. */
export function insertRow(meta: EntityMetadata, row: object): Sql {
  const r = row as Record<string, unknown>;
  const cols = columnsOf(meta).filter((c) => r[c.property] !== undefined);
  return sql(
    `INSERT INTO "${meta.tableName}" (${cols.map((c) => `"${c.column}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
    cols.map((c) => c.toDb(r[c.property])),
  );
}

/** `UPDATE … SET <changes> WHERE id = $1 AND <guard>`; the guard's placeholders follow the SET values. */
export function updateRow(meta: EntityMetadata, id: string, changes: object, guard: Sql = sql('TRUE')): Sql {
  const c = changes as Record<string, unknown>;
  const cols = columnsOf(meta).filter((col) => col.property in c && c[col.property] !== undefined);
  const sets = cols.map((col, i) => `"${col.column}" = $${i + 2}`).join(', ');
  const offset = cols.length + 1;
  return sql(
    `UPDATE "${meta.tableName}" SET ${sets} WHERE id = $1 AND (${guard.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`,
    [id, ...cols.map((col) => col.toDb(c[col.property])), ...guard.values],
  );
}
