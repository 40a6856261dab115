import * as http from 'node:http';
import * as https from 'node:https';

export interface WireAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
}

/** No answer came: the connection failed, was cut, or the answer did not arrive within the timeout. */
export class NoAnswerError extends Error {}

/**
 * One POST over node:http(s), nothing else (no dependency). A timeout covers the whole exchange, from
 * connecting to the last byte of the answer: a gateway that accepts and then stalls is no answer too.
 */
export function post(url: URL, headers: Record<string, string>, body: Buffer, timeoutMs: number, agent: http.Agent): Promise<WireAnswer> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent });
    const timer = setTimeout(() => req.destroy(new NoAnswerError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const fail = (e: unknown) => {
      clearTimeout(timer);
      reject(
        e instanceof NoAnswerError
          ? e
          : new NoAnswerError(e instanceof Error ? `${(e as NodeJS.ErrnoException).code ?? e.name}: ${e.message}` : String(e)),
      );
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      // 'close' without 'end': the connection went mid-answer (after 'end', settling again is a no-op).
      res.on('close', () => {
        if (!res.complete) fail(new NoAnswerError('the answer was cut off'));
      });
      res.on('end', () => {
        clearTimeout(timer);
        if (!res.complete) return fail(new NoAnswerError('the answer was cut off'));
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) });
      });
    });
    req.end(body);
  });
}
