import * as http from 'node:http';

/** A JSON call on loopback with no connection kept (nothing left open to hold a Jest process). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON: the caller reads the fields it expects
export function jsonCall(url: string, method: string, body?: unknown): Promise<{ status: number; json: any }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent: false, headers: payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
          } catch {
            resolve({ status: res.statusCode ?? 0, json: { error: text } });
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
