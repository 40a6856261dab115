/** PostgreSQL's unique_violation (SQLSTATE 23505): a twin request inserted the same key first. */
export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === '23505';
}
