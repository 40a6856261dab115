import { KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { request } from 'undici';

import { loadPrivateKey, loadPublicKey } from '../../src/antom/keys';
import { formatSignatureHeader, parseSignatureHeader, sign, verify } from '../../src/antom/signature';

export const ARTIFACTS = path.resolve(__dirname, '../..', process.env.TEST_DATA_DIR ?? '.test-data', 'artifacts');

export interface AntomAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: any;
  signatureValid: boolean;
}

/**
 * A merchant backend as a test sees it: signs like Antom's SDKs, verifies the gateway's response
 * signature, and keeps every response body for the end-of-run card-data leak scan.
 */
export class MerchantClient {
  private readonly privateKey: KeyObject;
  private readonly gatewayKey: KeyObject;

  /** `gateway`: answers are also recorded by path, for the end-of-run check against /openapi.json (test/leak-scan). */
  constructor(
    readonly baseUrl: string,
    readonly clientId: string,
    privateKeyPem: string,
    gatewayPublicKeyPem: string,
    readonly target: 'gateway' | 'other' = 'other',
  ) {
    this.privateKey = loadPrivateKey(privateKeyPem);
    this.gatewayKey = loadPublicKey(gatewayPublicKeyPem);
  }

  post(api: string, payload: object, opts: SendOptions = {}): Promise<AntomAnswer> {
    return this.send(opts.path ?? `/ams/api/v1/${api}`, JSON.stringify(payload), opts);
  }

  async send(pathName: string, body: string | Buffer, opts: SendOptions = {}): Promise<AntomAnswer> {
    const time = opts.time ?? String(Date.now());
    const clientId = opts.clientId ?? this.clientId;
    const signature = sign({ path: pathName, clientId, time, body }, opts.signWith ?? this.privateKey);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': clientId,
      'request-time': time,
      signature: opts.signatureHeader ?? formatSignatureHeader(signature),
      ...opts.headers,
    };
    const res = await request(this.baseUrl + pathName, { method: 'POST', body, headers });
    const raw = await res.body.text();
    record(raw, this.target === 'gateway' ? pathName : undefined);
    const sig = parseSignatureHeader(res.headers['signature'] as string | undefined);
    const signatureValid =
      !!sig &&
      verify(
        { path: pathName, clientId: String(res.headers['client-id']), time: String(res.headers['response-time']), body: raw },
        sig.signature,
        this.gatewayKey,
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, headers: res.headers, raw, body: parsed, signatureValid };
  }
}

export interface SendOptions {
  path?: string;
  time?: string;
  clientId?: string;
  signWith?: KeyObject;
  signatureHeader?: string;
  /** Sent as well (e.g. X-Forwarded-For behind TRUST_PROXY). */
  headers?: Record<string, string>;
}

function record(raw: string, gatewayPath?: string): void {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.appendFileSync(path.join(ARTIFACTS, 'responses.jsonl'), raw.replace(/\n/g, ' ') + '\n');
  if (gatewayPath === undefined) return;
  // With the path it answered, for the end-of-run check against /openapi.json (test/leak-scan/openapi-answers).
  fs.appendFileSync(path.join(ARTIFACTS, 'answers-by-path.jsonl'), JSON.stringify({ path: gatewayPath, raw }) + '\n');
}
