import * as net from 'node:net';
import * as tls from 'node:tls';

/*
 * The official Antom SDKs' wire habits, reproduced from their source (versions in docs/antom-compatibility.md)
 * so the conformance suites send what each SDK sends, byte for byte, without needing its runtime.
 */

/**
 * Python's `json.dumps(obj, indent=n)` with its defaults (ensure_ascii=True, separators (',', ': ')
 * when indenting), which is how the Python SDK's `to_ams_json` serialises every request (indent=3).
 * Integers, strings, booleans, null, lists and dicts only: the SDK's models hold nothing else here.
 */
export function pythonJsonDumps(value: unknown, indent: number, level = 0): string {
  const pad = (n: number) => '\n' + ' '.repeat(indent * n);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error('floats are not reproduced');
    return String(value);
  }
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[' + value.map((v) => pad(level + 1) + pythonJsonDumps(v, indent, level + 1)).join(',') + pad(level) + ']';
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return '{' + entries.map(([k, v]) => pad(level + 1) + pythonString(k) + ': ' + pythonJsonDumps(v, indent, level + 1)).join(',') + pad(level) + '}';
}

/** json.encoder.py_encode_basestring_ascii: everything outside ' '..'~' escaped, UTF-16 units as \uXXXX. */
function pythonString(s: string): string {
  const short: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (short[ch]) out += short[ch];
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else out += '\\u' + code.toString(16).padStart(4, '0');
  }
  return out + '"';
}

/** Python SDK's `get_cur_iso8601_time()`: `datetime.fromtimestamp(int(time.time()), tz=timezone.utc).isoformat()`. */
export function pythonIsoSeconds(at = Date.now()): string {
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace(/\.000Z$/, '+00:00');
}

export interface RawHttpAnswer {
  statusLine: string;
  status: number;
  /** Header lines as they came, names with their wire case. */
  headerLines: Array<[string, string]>;
  header(name: string): string | undefined;
  body: string;
}

/**
 * Sends the exact bytes over TCP and reads one HTTP/1.1 answer (Content-Length or chunked), so a test
 * can send what no HTTP client library would (an absolute-form request line) and see header names as sent.
 */
export function rawHttp(port: number, request: Buffer, host = '127.0.0.1', over?: { tlsCa: string }): Promise<RawHttpAnswer> {
  return new Promise((resolve, reject) => {
    // Over TLS the same bytes go inside the session, the server's certificate verified against `tlsCa`.
    const socket: net.Socket = over
      ? tls.connect({ port, host, ca: over.tlsCa, servername: net.isIP(host) ? undefined : host }, () => socket.write(request))
      : net.connect(port, host, () => socket.write(request));
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('no complete answer in 20 s')); }, 20_000);
    const finish = (a: RawHttpAnswer) => { clearTimeout(timer); socket.destroy(); resolve(a); };
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      const answer = parseAnswer(data);
      if (answer) finish(answer);
    });
    socket.on('end', () => { clearTimeout(timer); reject(new Error(`connection closed: ${data.toString('latin1').slice(0, 200)}`)); });
  });
}

function parseAnswer(data: Buffer): RawHttpAnswer | null {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headerLines = lines.map((l): [string, string] => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
  const header = (name: string) => headerLines.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const rest = data.subarray(end + 4);
  let body: Buffer | null = null;
  if (header('content-length') !== undefined) {
    const n = Number(header('content-length'));
    if (rest.length >= n) body = rest.subarray(0, n);
  } else if (/chunked/i.test(header('transfer-encoding') ?? '')) {
    body = dechunk(rest);
  } else body = rest;
  if (!body) return null;
  return { statusLine, status: Number(statusLine.split(' ')[1]), headerLines, header, body: body.toString('utf8') };
}

function dechunk(buf: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts);
    if (buf.length < eol + 2 + size + 2) return null;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * Go's `json.Marshal` of the SDK's request structs: compact, `omitempty` on every model field (false, 0,
 * "" and empty lists vanish), HTML characters and U+2028/U+2029 escaped as \u003c etc., UTF-8 otherwise.
 * `paymentMethodMetaData` is a `map[string]any` in the Go model: its entries are kept as they are.
 */
export function goJsonMarshal(value: unknown): string {
  return JSON.stringify(omitEmpty(value)).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function omitEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(omitEmpty);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined || x === null || x === false || x === 0 || x === '' || (Array.isArray(x) && x.length === 0)) continue;
    out[k] = k === 'paymentMethodMetaData' ? x : omitEmpty(x);
  }
  return out;
}
