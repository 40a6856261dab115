import * as fs from 'node:fs';
import { parseArgs } from 'node:util';

import { GatewayConfig, loadConfig, NotifyReach } from '../../config/gateway-config';
import { openOpsDatabase } from '../../platform/database/ops-database';
import { namedActor, operatorName, osAccount } from '../../platform/operator/named-operator';
import { AuthExpiryPolicy, AvsPolicy, MerchantAdmin, MerchantChanges, MerchantView } from '../merchant-admin';
import {
  AUTH_EXPIRY_POLICIES,
  AVS_POLICIES,
  checkNotifyHost,
  InputError,
  MERCHANT_STATUSES,
  parseChoice,
  parseClientId,
  parseName,
  parseNotifyUrl,
  parsePublicKey,
} from '../merchant-input';
import { readGatewayPublicKey } from './gateway-public-key';

/** The commands that change a merchant: each needs a named operator (--actor NAME or GATEWAY_ACTOR). */
const WRITES = new Set(['add', 'add-key', 'remove-key', 'set']);

export const USAGE = `usage: npm run merchant -- <command> [options]
  add         --client-id ID --public-key FILE [--name NAME] [--notify-url URL]
              [--avs-policy ACCEPT|REVIEW|VOID] [--auth-expiry-policy EXPIRE|CAPTURE|VOID]
  add-key     --client-id ID --public-key FILE        rotation: the new key becomes the latest keyVersion
  remove-key  --client-id ID --key-version N          ends a rotation: that keyVersion is refused
  set         --client-id ID [--notify-url URL|none] [--avs-policy …] [--auth-expiry-policy …]
              [--status ACTIVE|SUSPENDED] [--name NAME]
  list        [--json]                                every merchant; keys by fingerprint only
  show        --client-id ID [--json]                 one merchant, and the gateway's public key
  gateway-key                                         the gateway's response-signing public key (PEM)
Public keys: RSA 2048–8192 bits, X.509 SPKI PEM or bare base64. Database: DATABASE_URL, else the embedded
one under GATEWAY_DATA_DIR. Running gateways apply changes within 30 s (their merchant cache).
Changes (add, add-key, remove-key, set) are recorded under a named operator: --actor NAME or GATEWAY_ACTOR.`;

const OPTIONS = {
  'client-id': { type: 'string' },
  'public-key': { type: 'string' },
  name: { type: 'string' },
  'notify-url': { type: 'string' },
  'avs-policy': { type: 'string' },
  'auth-expiry-policy': { type: 'string' },
  status: { type: 'string' },
  'key-version': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  actor: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
type Out = (text: string) => void;
const CACHE_NOTE = 'Running gateways apply this within 30 s (merchant cache).';

/** `npm run merchant -- …`. Exit 0 done, 2 refused or failed (one plain line on stderr, never a stack). */
export async function runMerchantCli(argv: string[], env: NodeJS.ProcessEnv, out: Out, err: Out): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...extra] = positionals;
    if (values.help || command === 'help') return (out(USAGE), 0);
    if (!command) throw new InputError(`a command is required: add, add-key, remove-key, set, list, show, gateway-key (see --help)`);
    if (extra.length) throw new InputError(`unexpected argument "${extra[0]}"`);
    const config = loadConfig(env);
    if (command === 'gateway-key') return printGatewayKey(config, out);
    const run = await commandFor(command, values, config, out);
    // A change is recorded under a named operator (8.2.2); reads may go unnamed (they record nothing).
    const who = WRITES.has(command) ? namedActor('cli:', argv, env) : `cli:${operatorName(argv, env) ?? osAccount(env)}`;
    const { db, close } = await openOpsDatabase(config);
    try {
      await run(new MerchantAdmin(db, who));
    } finally {
      await close();
    }
    return 0;
  } catch (e) {
    err(`merchant: ${oneLine(e)}`);
    return 2;
  }
}

/**
 * Arguments are all checked before the database is opened: a typo costs nothing and changes nothing. A notify
 * URL's host name is resolved here too (checkNotifyHost).
 */
async function commandFor(command: string, v: Values, config: GatewayConfig, out: Out): Promise<(admin: MerchantAdmin) => Promise<void>> {
  const reach = config.notifyReach;
  switch (command) {
    case 'add': {
      const clientId = parseClientId(v['client-id']);
      const key = parsePublicKey(readKeyFile(v['public-key']));
      const m = {
        clientId,
        name: v.name === undefined ? clientId : parseName(v.name),
        publicKeyPem: key.pem,
        notifyUrl: v['notify-url'] === undefined ? null : parseNotifyUrl(v['notify-url'], reach),
        avsPolicy: v['avs-policy'] === undefined ? ('ACCEPT' as AvsPolicy) : parseChoice('--avs-policy', v['avs-policy'], AVS_POLICIES),
        authExpiryPolicy:
          v['auth-expiry-policy'] === undefined
            ? ('EXPIRE' as AuthExpiryPolicy)
            : parseChoice('--auth-expiry-policy', v['auth-expiry-policy'], AUTH_EXPIRY_POLICIES),
      };
      if (m.notifyUrl) await checkNotifyHost(m.notifyUrl, reach);
      return async (admin) => {
        const view = await admin.add(m);
        out(`added ${clientId} (ACTIVE, keyVersion 1, RSA ${key.bits})`);
        printView(view, config, out);
      };
    }
    case 'add-key': {
      const clientId = parseClientId(v['client-id']);
      const key = parsePublicKey(readKeyFile(v['public-key']));
      return async (admin) => {
        const version = await admin.addKey(clientId, key.pem);
        out(`added keyVersion ${version} to ${clientId}: ${key.fingerprint} (RSA ${key.bits})`);
        out(
          `It is now the latest: requests whose Signature names no keyVersion are checked against it; older versions still work when named (remove-key ends that). ${CACHE_NOTE}`,
        );
      };
    }
    case 'remove-key': {
      const clientId = parseClientId(v['client-id']);
      const version = Number(v['key-version']);
      if (!/^\d{1,9}$/.test(v['key-version'] ?? '') || version < 1) throw new InputError('--key-version must be a positive whole number');
      return async (admin) => {
        await admin.removeKey(clientId, version);
        out(`removed keyVersion ${version} from ${clientId}; requests signed with it get KEY_NOT_FOUND. ${CACHE_NOTE}`);
      };
    }
    case 'set': {
      const clientId = parseClientId(v['client-id']);
      const changes = parseChanges(v, reach);
      if (changes.notifyUrl) await checkNotifyHost(changes.notifyUrl, reach);
      return async (admin) => {
        printView(await admin.set(clientId, changes), config, out, false);
        out(CACHE_NOTE);
      };
    }
    case 'list':
      return async (admin) => {
        const all = await admin.list();
        if (v.json) return out(JSON.stringify(all, null, 2));
        if (all.length === 0) out('no merchants yet: npm run merchant -- add --client-id … --public-key …');
        for (const m of all)
          out(
            `${m.clientId}  ${m.status}  notify=${m.notifyUrl ?? '-'}  avs=${m.avsPolicy}  expiry=${m.authExpiryPolicy}  keys=${m.keys.map((k) => `v${k.keyVersion} ${k.fingerprint}`).join(', ')}`,
          );
      };
    case 'show': {
      const clientId = parseClientId(v['client-id']);
      return async (admin) => {
        const view = await admin.show(clientId);
        if (v.json) {
          const gw = readGatewayPublicKey(config);
          return out(JSON.stringify({ ...view, gatewayPublicKey: 'pem' in gw ? gw.pem : null }, null, 2));
        }
        printView(view, config, out);
      };
    }
    default:
      throw new InputError(`unknown command "${command}": add, add-key, remove-key, set, list, show, gateway-key`);
  }
}

function parseChanges(v: Values, reach: NotifyReach): MerchantChanges {
  const url = v['notify-url'];
  return {
    name: v.name === undefined ? undefined : parseName(v.name),
    notifyUrl: url === undefined ? undefined : url === 'none' ? null : parseNotifyUrl(url, reach),
    avsPolicy: v['avs-policy'] === undefined ? undefined : parseChoice('--avs-policy', v['avs-policy'], AVS_POLICIES),
    authExpiryPolicy:
      v['auth-expiry-policy'] === undefined ? undefined : parseChoice('--auth-expiry-policy', v['auth-expiry-policy'], AUTH_EXPIRY_POLICIES),
    status: v.status === undefined ? undefined : parseChoice('--status', v.status, MERCHANT_STATUSES),
  };
}

/** A public key file is the merchant's: it is read only up to this (an 8192-bit PEM is under 2 KiB). */
export const KEY_FILE_MAX_BYTES = 64 * 1024;

function readKeyFile(file: string | undefined): string {
  if (!file) throw new InputError('--public-key FILE is required');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new InputError(`cannot read --public-key file ${file}`);
  }
  if (!stat.isFile() || stat.size > KEY_FILE_MAX_BYTES) throw new InputError(`--public-key ${file} is not a key file`);
  return fs.readFileSync(file, 'utf8');
}

function printView(m: MerchantView, config: GatewayConfig, out: Out, withGatewayKey = true): void {
  const rows: Array<[string, string]> = [
    ['clientId', m.clientId],
    ['name', m.name],
    ['status', m.status],
    ['notifyUrl', m.notifyUrl ?? '(none)'],
    ['avsPolicy', m.avsPolicy],
    ['authExpiryPolicy', m.authExpiryPolicy],
    ['created', m.createdAt],
  ];
  m.keys.forEach((k, i) =>
    rows.push([i === 0 ? 'keys' : '', `v${k.keyVersion} ${k.fingerprint} (${k.createdAt})${k.keyVersion === m.latestKeyVersion ? ' latest' : ''}`]),
  );
  for (const [k, val] of rows) out(`${k.padEnd(18)}${val}`);
  if (!withGatewayKey) return;
  const gw = readGatewayPublicKey(config);
  out('');
  out('The gateway signs its responses and notifications with this key; give it to the merchant to verify them');
  out('(npm run merchant -- gateway-key prints it alone):');
  out('pem' in gw ? gw.pem.trimEnd() : gw.missing);
}

function printGatewayKey(config: GatewayConfig, out: Out): number {
  const gw = readGatewayPublicKey(config);
  if (!('pem' in gw)) throw new InputError(gw.missing);
  out(gw.pem.trimEnd());
  return 0;
}

/**
 * Each whitespace run that holds a line break becomes one space, in one pass: `\s+` consumes every run
 * whole. The former `\s*\n\s*` rescanned a run without a break from each of its characters (quadratic:
 * an argument of 32 KiB of spaces, quoted by "unexpected argument", took 1.9 s; 128 KiB, the most Linux
 * passes in one argument, about 30 s). Same output on every string (checked on 200,000 random ones).
 */
function oneLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run)).trim() || 'failed';
}
