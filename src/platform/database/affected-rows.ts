/** The rows a raw query touched: TypeORM answers [rows, count] for UPDATE/DELETE and rows for SELECT. */
export function affectedRows(res: unknown): number {
  if (Array.isArray(res) && Array.isArray(res[0])) return Number(res[1] ?? res[0].length);
  return Array.isArray(res) ? res.length : 0;
}
