import { Readable } from 'node:stream';

import { FastifyReply } from 'fastify';

import { ADMIN_CSP } from '../http/admin-http';

/**
 * One CSV line (RFC 4180): every field quoted, quotes doubled. A field a spreadsheet would run as a formula
 * (starting with = + - @, a tab or a carriage return) is prefixed with an apostrophe (OWASP "CSV injection").
 */
export function csvLine(fields: (string | number | null | undefined)[]): string {
  return (
    fields
      .map((f) => {
        let s = f === null || f === undefined ? '' : String(f);
        if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
        return `"${s.replace(/"/g, '""')}"`;
      })
      .join(',') + '\r\n'
  );
}

/** An ISO timestamp in UTC, or nothing. */
export const csvTime = (d: Date | null | undefined): string => (d ? d.toISOString() : '');

/**
 * Streams the lines as a download: the header first, then whatever the generator yields, batch by batch
 * from the database, so a large export never sits in memory.
 */
export function sendCsv(reply: FastifyReply, name: string, header: string[], lines: AsyncIterable<string>): void {
  async function* body() {
    yield '\ufeff' + csvLine(header); // the BOM makes spreadsheet programs read UTF-8
    for await (const l of lines) yield l;
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${stamp}.csv"`)
    .header('content-security-policy', ADMIN_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(Readable.from(body()));
}
