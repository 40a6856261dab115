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
export function rawHttp(
  port: number,
  request: Buffer,
  host = '127.0.0.1',
  over: { tlsCa?: string; expectContinue?: boolean } = {},
): Promise<RawHttpAnswer> {
  return new Promise((resolve, reject) => {
    // `Expect: 100-continue` (libcurl): the head alone, the body after the server's 100 (or 1 s, as curl waits).
    const split = request.indexOf('\r\n\r\n') + 4;
    let bodyLeft: Buffer | null = over.expectContinue ? request.subarray(split) : null;
    const sendBody = () => {
      if (bodyLeft) {
        socket.write(bodyLeft);
        bodyLeft = null;
      }
    };
    const start = () => {
      socket.write(over.expectContinue ? request.subarray(0, split) : request);
      if (over.expectContinue) setTimeout(sendBody, 1000);
    };
    // Over TLS the same bytes go inside the session, the server's certificate verified against `tlsCa`.
    const socket: net.Socket = over.tlsCa
      ? tls.connect({ port, host, ca: over.tlsCa, servername: net.isIP(host) ? undefined : host }, start)
      : net.connect(port, host, start);
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no complete answer in 20 s'));
    }, 20_000);
    const finish = (a: RawHttpAnswer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(a);
    };
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      // Interim 1xx answers (100 Continue) come before the real one: the body follows them.
      while (/^HTTP\/1\.1 1\d\d /.test(data.toString('latin1', 0, 13)) && data.indexOf('\r\n\r\n') >= 0) {
        data = data.subarray(data.indexOf('\r\n\r\n') + 4);
        sendBody();
      }
      const answer = parseAnswer(data);
      if (answer) finish(answer);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      reject(new Error(`connection closed: ${data.toString('latin1').slice(0, 200)}`));
    });
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

/* ---------------------------------------------------------------------------------------------------------
 * .NET SDK (global-open-sdk-dotnet 2.2.5): System.Text.Json with JsonSerializerOptionsFactory.WriteNotIndented
 * (camelCase names, IgnoreNullValues = false, enums as strings, the default JavaScriptEncoder).
 * ------------------------------------------------------------------------------------------------------- */

/** JsonNamingPolicy.CamelCase: the leading run of capitals lower-cased, the last one kept when a lower-case letter follows. */
export function dotnetCamelCase(name: string): string {
  if (!name || !/[A-Z]/.test(name[0])) return name;
  const chars = [...name];
  for (let i = 0; i < chars.length; i++) {
    if (i === 1 && !/[A-Z]/.test(chars[i])) break;
    const hasNext = i + 1 < chars.length;
    if (i > 0 && hasNext && !/[A-Z]/.test(chars[i + 1])) {
      if (chars[i + 1] === ' ') chars[i] = chars[i].toLowerCase();
      break;
    }
    chars[i] = chars[i].toLowerCase();
  }
  return chars.join('');
}

/**
 * JavaScriptEncoder.Default as Utf8JsonWriter applies it: printable ASCII passes except `"` `\` and the
 * HTML-sensitive `<` `>` `&` `'` `+` and backtick, written \u0022, \u003C, \u002B ... (upper-case hex);
 * \b \f \n \r \t as short escapes; every other control and non-ASCII UTF-16 unit as \uXXXX.
 */
export function dotnetJsonString(s: string): string {
  const short: Record<string, string> = { '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (short[ch]) out += short[ch];
    else if (code >= 0x20 && code <= 0x7e && !'"<>&\'+`'.includes(ch)) out += ch;
    else out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
  }
  return out + '"';
}

/**
 * JsonSerializer.Serialize(request) of a .NET SDK request model filled from `value` (Antom's field names):
 * every property of each model object written, in declaration order; unset ones as null, or as the enum's
 * first member / false / 0 for non-nullable value types. Fields the model lacks cannot be sent: dropped.
 */
export function dotnetJsonSerialize(
  models: Record<string, Array<[string, string]>>,
  enumDefault: Record<string, string>,
  model: string,
  value: unknown,
): string {
  const write = (type: string, v: unknown): string => {
    const nullable = type.endsWith('?');
    const base = type.replace(/\?$/, '');
    if (v === undefined || v === null) {
      if (nullable) return 'null';
      if (enumDefault[base]) return dotnetJsonString(enumDefault[base]);
      if (base === 'bool') return 'false';
      if (/^(int|long|double|decimal|float)$/.test(base)) return '0';
      return 'null';
    }
    const list = /^List<(.+)>$/.exec(base);
    if (list) return '[' + (v as unknown[]).map((x) => write(list[1], x)).join(',') + ']';
    if (/^Dictionary</.test(base)) return dotnetObject(v);
    if (base === 'string') return dotnetJsonString(String(v));
    if (base === 'bool') return v === true || v === 'true' ? 'true' : 'false';
    if (/^(int|long|double|decimal|float)$/.test(base)) return String(Number(v));
    if (enumDefault[base] !== undefined || !models[base]) return dotnetJsonString(String(v));
    const obj = v as Record<string, unknown>;
    return (
      '{' + models[base].map(([name, t]) => dotnetJsonString(dotnetCamelCase(name)) + ':' + write(t, obj[dotnetCamelCase(name)])).join(',') + '}'
    );
  };
  return write(model, value);
}

/** A `Dictionary<string, object>` (paymentMethodMetaData): keys as given (no naming policy), values by their own type. */
function dotnetObject(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return dotnetJsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[' + v.map(dotnetObject).join(',') + ']';
  return (
    '{' +
    Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => dotnetJsonString(k) + ':' + dotnetObject(x))
      .join(',') +
    '}'
  );
}

/** `DateTime.UtcNow.ToString("o")`: seven fractional digits (100 ns ticks) and `Z`. */
export function dotnetRoundTripTime(at = Date.now(), ticks = Math.floor(Math.random() * 10_000)): string {
  return new Date(at).toISOString().replace(/Z$/, String(ticks).padStart(4, '0') + 'Z');
}

/** `HttpUtility.UrlEncode(s, UTF8)`: unreserved `-_.!*()` kept, space as `+`, everything else %xx in lower-case hex. */
export function dotnetUrlEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-_.!*()]/.test(c)) return c;
      if (c === ' ') return '+';
      return '%' + b.toString(16).padStart(2, '0');
    })
    .join('');
}

/** `HttpUtility.UrlDecode`: `+` is a space, %xx in either case. */
export function dotnetUrlDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/* ---------------------------------------------------------------------------------------------------------
 * PHP SDK (global-open-sdk-php 1.5.5): json_encode with default flags, date(DATE_ISO8601), urlencode, curl.
 * ------------------------------------------------------------------------------------------------------- */

/** `json_encode($v)` (no flags): compact, `/` escaped as `\/`, non-ASCII as \uxxxx (lower-case hex), nulls kept as given. */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => (c === '\u007f' ? c : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')));
}

/** `date(DATE_ISO8601)` in a PHP whose default time zone is `offsetMinutes` east of UTC: `2026-01-02T03:04:05+0000`. */
export function phpIso8601(at = Date.now(), offsetMinutes = 0): string {
  const local = new Date(Math.floor(at / 1000) * 1000 + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** PHP `urlencode`: `-_.` kept, space as `+`, everything else %XX in upper-case hex. */
export function phpUrlencode(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-_.]/.test(c)) return c;
      if (c === ' ') return '+';
      return '%' + b.toString(16).toUpperCase().padStart(2, '0');
    })
    .join('');
}

/**
 * What System.Text.Json would fail on when the .NET SDK deserialises `value` into `model` (empty: it decodes):
 * a member whose camelCase name matches a property must have that property's JSON type.
 */
export function dotnetDecodeProblems(
  models: Record<string, Array<[string, string]>>,
  enums: Set<string>,
  model: string,
  value: unknown,
  at = model,
): string[] {
  const problems: string[] = [];
  const check = (type: string, v: unknown, where: string): void => {
    const nullable = type.endsWith('?');
    const base = type.replace(/\?$/, '');
    if (enums.has(base) || base === 'Object' || base === 'object') return; // SafeEnumConverterFactory never throws
    if (v === null) {
      if (!nullable && /^(bool|int|long|double|decimal|float)$/.test(base)) problems.push(`${where}: null for a non-nullable ${base}`);
      return;
    }
    const list = /^List<(.+)>$/.exec(base);
    if (list) {
      if (!Array.isArray(v)) problems.push(`${where}: ${JSON.stringify(v)} is not a JSON array (.NET ${base})`);
      else v.forEach((x, i) => check(list[1], x, `${where}[${i}]`));
      return;
    }
    if (/^Dictionary</.test(base)) {
      if (typeof v !== 'object' || Array.isArray(v)) problems.push(`${where}: not a JSON object (.NET ${base})`);
      return;
    }
    if (base === 'string') {
      if (typeof v !== 'string') problems.push(`${where}: ${JSON.stringify(v)} is not a JSON string (.NET string)`);
      return;
    }
    if (base === 'bool') {
      if (typeof v !== 'boolean') problems.push(`${where}: ${JSON.stringify(v)} is not a JSON boolean (.NET bool)`);
      return;
    }
    if (/^(int|long)$/.test(base)) {
      if (typeof v !== 'number' || !Number.isInteger(v)) problems.push(`${where}: ${JSON.stringify(v)} is not a JSON integer (.NET ${base})`);
      return;
    }
    if (/^(double|decimal|float)$/.test(base)) {
      if (typeof v !== 'number') problems.push(`${where}: ${JSON.stringify(v)} is not a JSON number (.NET ${base})`);
      return;
    }
    const props = models[base];
    if (!props) return;
    if (typeof v !== 'object' || Array.isArray(v)) {
      problems.push(`${where}: ${JSON.stringify(v)} is not a JSON object (.NET ${base})`);
      return;
    }
    const types = new Map(props.map(([name, t]) => [dotnetCamelCase(name), t]));
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const t = types.get(k);
      if (t) check(t, x, `${where}.${k}`);
    }
  };
  check(model, value, at);
  return problems;
}
