import { generateKeyPairSync, KeyObject } from 'node:crypto';

let key: KeyObject | undefined;

/**
 * A key that is not the sandbox's, for the faults that sign wrong on purpose. Made on first use and shared by the
 * process: a forged signature only needs a key nobody trusts, and an RSA-2048 key costs 0.3–0.5 s of CPU here,
 * which every sandbox start paid twice (server and notifier) even when no test asked for a forgery.
 */
export function forgeryKey(): KeyObject {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return key;
}
