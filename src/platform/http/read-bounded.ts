import type { Readable } from 'node:stream';

export class AnswerTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`answer larger than ${limit} bytes: connection cut`);
    this.name = 'AnswerTooLargeError';
  }
}

/**
 * Reads an HTTP answer body up to `limit` bytes; past it the connection is cut (the stream destroyed)
 * and AnswerTooLargeError thrown. A peer answering hundreds of MB (a merchant's notify endpoint, a
 * misbehaving acquirer) then costs at most `limit` bytes of this process's memory.
 */
export async function readBounded(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += b.length;
    if (size > limit) {
      body.destroy();
      throw new AnswerTooLargeError(limit);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, size);
}
