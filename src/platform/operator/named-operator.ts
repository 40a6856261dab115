import * as os from 'node:os';

/*
 * PCI DSS 8.2.1 / 8.2.2: a command-line change is recorded under the name of the person who made it, not under a
 * shared OS account (`root@container` says nothing). The operator names themselves with `--actor NAME` or
 * GATEWAY_ACTOR; the OS user and host are kept beside the name as corroboration, never instead of it.
 */
export const OPERATOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;

export const OPERATOR_MISSING = 'name the operator with --actor NAME or GATEWAY_ACTOR (PCI DSS 8.2.2: no anonymous or shared CLI changes)';

/** `--actor NAME` / `--actor=NAME` in argv, else GATEWAY_ACTOR; null when neither is set. Throws on an ill-formed name. */
export function operatorName(argv: readonly string[], env: NodeJS.ProcessEnv): string | null {
  let given: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--actor') given = argv[i + 1] ?? '';
    else if (argv[i].startsWith('--actor=')) given = argv[i].slice('--actor='.length);
  }
  given ??= env.GATEWAY_ACTOR;
  if (given === undefined || given === '') return null;
  if (!OPERATOR_NAME.test(given)) throw new Error(`operator name "${given.slice(0, 64)}" is not a name (letters, digits, . _ @ -; 2–64 characters)`);
  return given;
}

/** argv without the `--actor` option (for parsers that do not know it). */
export function withoutActor(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--actor') i++;
    else if (!argv[i].startsWith('--actor=')) out.push(argv[i]);
  }
  return out;
}

/** The OS account and host, as a corroborating detail ('unknown' without a passwd entry). */
export function osAccount(env: NodeJS.ProcessEnv): string {
  let user = env.USER ?? 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry in some containers: keep $USER
  }
  return `${user}@${os.hostname()}`;
}

/** `<prefix><name> (os user@host)`, the name required: throws OPERATOR_MISSING without one. */
export function namedActor(prefix: string, argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const name = operatorName(argv, env);
  if (!name) throw new Error(OPERATOR_MISSING);
  return `${prefix}${name} (${osAccount(env)})`.slice(0, 256);
}
