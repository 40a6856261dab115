/**
 * The buyer environment the hosted page gathers, in Antom's `env` shape. Headers (Accept, User-Agent) and
 * the client IP are taken by the server; the rest comes from the page's script and is clamped here,
 * since the browser side is untrusted input.
 */
export interface BrowserSide {
  language?: unknown;
  javaEnabled?: unknown;
  colorDepth?: unknown;
  screenHeight?: unknown;
  screenWidth?: unknown;
  timeZoneOffset?: unknown;
}

export interface ServerSide {
  acceptHeader?: string | null;
  userAgent?: string;
  clientIp?: string;
}

/** Antom's Env as the page gathered it (numbers where the page measured them; upstreamEnv makes them the SDK's strings). */
export type BuyerEnv = {
  terminalType: 'WEB';
  clientIp?: string;
  browserInfo: { acceptHeader?: string; javaEnabled: boolean; javaScriptEnabled: boolean; language?: string; userAgent?: string };
  colorDepth?: number;
  screenHeight?: number;
  screenWidth?: number;
  timeZoneOffset?: number;
};

export function buyerEnv(browser: BrowserSide | undefined, server: ServerSide): BuyerEnv {
  const b = browser ?? {};
  const env: BuyerEnv = {
    terminalType: 'WEB',
    clientIp: text(server.clientIp, 64),
    browserInfo: strip({
      acceptHeader: text(server.acceptHeader ?? undefined, 2048),
      javaEnabled: b.javaEnabled === true,
      javaScriptEnabled: true, // the page's script sent this
      language: typeof b.language === 'string' && /^[A-Za-z0-9-]{1,32}$/.test(b.language) ? b.language : undefined,
      userAgent: text(server.userAgent, 2048),
    }),
    colorDepth: int(b.colorDepth, 1, 64),
    screenHeight: int(b.screenHeight, 1, 100_000),
    screenWidth: int(b.screenWidth, 1, 100_000),
    timeZoneOffset: int(b.timeZoneOffset, -900, 900),
  };
  return strip(env);
}

function text(v: string | undefined, max: number): string | undefined {
  return typeof v === 'string' && v !== '' ? v.slice(0, max) : undefined;
}

function int(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
}

function strip<T extends object>(o: T): T {
  const fields = o as { [field: string]: unknown };
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  return o;
}
