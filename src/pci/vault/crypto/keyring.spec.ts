import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';

import { decryptField, encryptField, newDataKey, unwrapDataKey, VaultKeyError, wrapDataKey } from './envelope';
import { EnvKeyringSource, FileKeyringSource, Keyring, KeyringData, KeyringSource } from './keyring';

const b64 = () => randomBytes(32).toString('base64');
const mode = (file: string) => fs.statSync(file).mode & 0o777;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyring-spec-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An in-memory source that records what was saved. */
class MemorySource implements KeyringSource {
  saved: KeyringData[] = [];
  constructor(private data: KeyringData) {}
  load(): KeyringData {
    return JSON.parse(JSON.stringify(this.data)) as KeyringData;
  }
  save(data: KeyringData): void {
    this.data = data;
    this.saved.push(data);
  }
}

describe('FileKeyringSource', () => {
  it('creates the file on first use: parent dirs, mode 0600, KEK v1 active, fingerprint key', () => {
    const file = path.join(dir, 'nested', 'dev', 'keyring.json');
    const data = new FileKeyringSource(file).load();
    expect(mode(file)).toBe(0o600);
    expect(data.keks).toHaveLength(1);
    expect(data.keks[0]).toMatchObject({ version: 1, status: 'active' });
    expect(Buffer.from(data.keks[0]!.key, 'base64')).toHaveLength(32);
    expect(Buffer.from(data.fingerprintKey, 'base64')).toHaveLength(32);
    expect(data.fingerprintKey).not.toBe(data.keks[0]!.key);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['keyring.json']); // no temp file left behind
  });

  it('reads the same keys on the next load', () => {
    const file = path.join(dir, 'keyring.json');
    const first = new FileKeyringSource(file).load();
    expect(new FileKeyringSource(file).load()).toEqual(first);
  });

  it.each([0o644, 0o640, 0o604, 0o660])('refuses a file with mode %o, without key content in the error', (bad) => {
    const file = path.join(dir, 'keyring.json');
    const data = new FileKeyringSource(file).load();
    fs.chmodSync(file, bad);
    expect(() => new FileKeyringSource(file).load()).toThrow(/group\/others.*chmod 600/);
    try {
      new FileKeyringSource(file).load();
    } catch (err) {
      expect((err as Error).message).not.toContain(data.keks[0]!.key.slice(0, 12));
      expect((err as Error).message).not.toContain(data.fingerprintKey.slice(0, 12));
    }
  });

  it('refuses malformed JSON without quoting it', () => {
    const file = path.join(dir, 'keyring.json');
    fs.writeFileSync(file, '{"keks": [SECRETSTUFF', { mode: 0o600 });
    expect(() => new FileKeyringSource(file).load()).toThrow(/not valid JSON$/);
    try {
      new FileKeyringSource(file).load();
    } catch (err) {
      expect((err as Error).message).not.toContain('SECRETSTUFF');
    }
  });

  it('saves atomically with mode 0600', () => {
    const file = path.join(dir, 'keyring.json');
    const source = new FileKeyringSource(file);
    const data = source.load();
    fs.chmodSync(file, 0o600);
    const next: KeyringData = { ...data, keks: [...data.keks, { version: 2, key: b64(), status: 'decrypt-only', createdAt: 'x' }] };
    source.save(next);
    expect(mode(file)).toBe(0o600);
    expect(source.load()).toEqual(next);
    expect(fs.readdirSync(dir)).toEqual(['keyring.json']);
  });
});

describe('Keyring over a file', () => {
  it('rotates, then still decrypts data written under the old version', () => {
    const file = path.join(dir, 'keyring.json');
    const keyring = new Keyring(new FileKeyringSource(file));
    const v1 = keyring.active();
    const dek = newDataKey();
    const wrapped = wrapDataKey(dek, v1, 'card_1');
    const field = encryptField(Buffer.from('4111111111111111'), dek, { recordId: 'card_1', field: 'pan', keyVersion: 1 });

    const v2 = keyring.rotate();
    expect(v2.version).toBe(2);
    expect(keyring.active()).toBe(v2);
    expect(keyring.get(1).status).toBe('decrypt-only');

    // A restarted process sees the same state and can still read the old record.
    const reloaded = new Keyring(new FileKeyringSource(file));
    expect(reloaded.active().version).toBe(2);
    const dekAgain = unwrapDataKey(wrapped, reloaded.get(1), 'card_1');
    const pan = decryptField(field, dekAgain, { recordId: 'card_1', field: 'pan', keyVersion: 1 });
    expect(pan.toString()).toBe('4111111111111111');
    expect(mode(file)).toBe(0o600);

    // Re-wrap under the new version, then retire the old one.
    const rewrapped = wrapDataKey(dekAgain, reloaded.active(), 'card_1');
    reloaded.retire(1);
    expect(() => reloaded.get(1)).toThrow(VaultKeyError);
    expect(unwrapDataKey(rewrapped, reloaded.get(2), 'card_1').equals(dek)).toBe(true);

    const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyringData;
    expect(onDisk.keks.find((k) => k.version === 1)).toMatchObject({ status: 'retired', key: '' });
    expect(new Keyring(new FileKeyringSource(file)).versions().map((k) => [k.version, k.status])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
  });
});

describe('Keyring', () => {
  const initial = (): KeyringData => ({
    keks: [{ version: 1, key: b64(), status: 'active', createdAt: '2025-01-01T00:00:00.000Z' }],
    fingerprintKey: b64(),
  });

  it('exposes the active KEK, versions and the fingerprint key as Secrets', () => {
    const data = initial();
    const keyring = new Keyring(new MemorySource(data));
    expect(keyring.active().version).toBe(1);
    expect(keyring.active().key.reveal().toString('base64')).toBe(data.keks[0]!.key);
    expect(keyring.fingerprintKey().reveal().toString('base64')).toBe(data.fingerprintKey);
    expect(keyring.versions()).toHaveLength(1);
  });

  it('get() throws VaultKeyError for unknown versions', () => {
    expect(() => new Keyring(new MemorySource(initial())).get(7)).toThrow(VaultKeyError);
  });

  it('rotate() saves before changing memory and numbers past retired versions', () => {
    const source = new MemorySource(initial());
    const keyring = new Keyring(source);
    keyring.rotate();
    keyring.retire(1);
    const v3 = keyring.rotate();
    expect(v3.version).toBe(3);
    expect(source.saved).toHaveLength(3);
    expect(source.saved[2]!.keks.map((k) => k.status)).toEqual(['retired', 'decrypt-only', 'active']);
  });

  it('retire() refuses the active version and unknown versions', () => {
    const keyring = new Keyring(new MemorySource(initial()));
    expect(() => keyring.retire(1)).toThrow(VaultKeyError);
    expect(() => keyring.retire(9)).toThrow(VaultKeyError);
  });

  it('leaves memory unchanged when the save fails', () => {
    const source = new MemorySource(initial());
    source.save = () => {
      throw new Error('disk full');
    };
    const keyring = new Keyring(source);
    expect(() => keyring.rotate()).toThrow('disk full');
    expect(keyring.active().version).toBe(1);
    expect(keyring.versions()).toHaveLength(1);
  });

  it('refuses to rotate or retire when the source cannot save', () => {
    const env = { VAULT_KEKS: `1:${b64()},2:${b64()}`, VAULT_FINGERPRINT_KEY: b64() };
    const keyring = new Keyring(new EnvKeyringSource(env));
    expect(() => keyring.rotate()).toThrow(/read-only/);
    expect(() => keyring.retire(1)).toThrow(/read-only/);
    expect(keyring.active().version).toBe(2);
  });

  it.each<[string, (d: KeyringData) => unknown]>([
    ['no active KEK', (d) => ({ ...d, keks: [{ ...d.keks[0], status: 'decrypt-only' }] })],
    ['two active KEKs', (d) => ({ ...d, keks: [d.keks[0], { ...d.keks[0], version: 2 }] })],
    ['duplicate versions', (d) => ({ ...d, keks: [d.keks[0], { ...d.keks[0], status: 'decrypt-only' }] })],
    ['a short key', (d) => ({ ...d, keks: [{ ...d.keks[0], key: randomBytes(16).toString('base64') }] })],
    ['a bad status', (d) => ({ ...d, keks: [{ ...d.keks[0], status: 'on' }] })],
    ['a bad fingerprint key', (d) => ({ ...d, fingerprintKey: 'abc' })],
    ['no keks', () => ({ fingerprintKey: b64() })],
    ['null', () => null],
  ])('refuses keyring data with %s', (_label, mutate) => {
    const data = mutate(initial()) as KeyringData;
    expect(() => new Keyring({ load: () => data })).toThrow(VaultKeyError);
  });

  it('prints no key material', () => {
    const data = initial();
    const keyring = new Keyring(new MemorySource(data));
    const shown = [inspect(keyring, { depth: 10 }), JSON.stringify(keyring), inspect(keyring.versions()), `${keyring.active().key}`];
    for (const text of shown) {
      expect(text).not.toContain(data.keks[0]!.key.slice(0, 12));
      expect(text).not.toContain(data.fingerprintKey.slice(0, 12));
    }
  });
});

describe('EnvKeyringSource', () => {
  it('makes the highest version active and the others decrypt-only, whatever the order', () => {
    const [k1, k2, k3] = [b64(), b64(), b64()];
    const data = new EnvKeyringSource({ VAULT_KEKS: ` 3:${k3}, 1:${k1} ,2:${k2}`, VAULT_FINGERPRINT_KEY: b64() }).load();
    expect(data.keks.map((k) => [k.version, k.status, k.key])).toEqual([
      [1, 'decrypt-only', k1],
      [2, 'decrypt-only', k2],
      [3, 'active', k3],
    ]);
    expect(new Keyring(new EnvKeyringSource({ VAULT_KEKS: `1:${k1}`, VAULT_FINGERPRINT_KEY: b64() })).active().version).toBe(1);
  });

  it('has no save()', () => {
    expect((new EnvKeyringSource({}) as KeyringSource).save).toBeUndefined();
  });

  it('dates each version from VAULT_KEKS_CREATED (the key inventory); unset, the date is unknown (epoch); a version left out is refused', () => {
    const env = { VAULT_KEKS: `1:${b64()},2:${b64()}`, VAULT_FINGERPRINT_KEY: b64() };
    expect(
      new EnvKeyringSource({ ...env, VAULT_KEKS_CREATED: '2:2026-07-01, 1:2026-01-05' }).load().keks.map((k) => [k.version, k.createdAt]),
    ).toEqual([
      [1, '2026-01-05T00:00:00.000Z'],
      [2, '2026-07-01T00:00:00.000Z'],
    ]);
    expect(new EnvKeyringSource(env).load().keks[0]!.createdAt).toBe('1970-01-01T00:00:00.000Z');
    expect(() => new EnvKeyringSource({ ...env, VAULT_KEKS_CREATED: '1:2026-01-05' }).load()).toThrow(
      /^VAULT_KEKS_CREATED has no date for key version 2$/,
    );
    expect(() => new EnvKeyringSource({ ...env, VAULT_KEKS_CREATED: '1:last year' }).load()).toThrow(/^VAULT_KEKS_CREATED entry 0 /);
  });

  const good = b64();
  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['missing VAULT_KEKS', { VAULT_FINGERPRINT_KEY: good }, /^VAULT_KEKS is not set$/],
    ['empty VAULT_KEKS', { VAULT_KEKS: ' ', VAULT_FINGERPRINT_KEY: good }, /^VAULT_KEKS is not set$/],
    ['no version', { VAULT_KEKS: good, VAULT_FINGERPRINT_KEY: good }, /^VAULT_KEKS entry 0 /],
    ['version 0', { VAULT_KEKS: `0:${good}`, VAULT_FINGERPRINT_KEY: good }, /^VAULT_KEKS entry 0 /],
    ['a 16-byte key', { VAULT_KEKS: `1:${randomBytes(16).toString('base64')}` }, /^VAULT_KEKS entry 0 \(version 1\)/],
    ['non-base64', { VAULT_KEKS: `1:${good},2:not*base64!`, VAULT_FINGERPRINT_KEY: good }, /^VAULT_KEKS entry 1 \(version 2\)/],
    ['an empty entry', { VAULT_KEKS: `1:${good},`, VAULT_FINGERPRINT_KEY: good }, /^VAULT_KEKS entry 1 /],
    ['duplicate versions', { VAULT_KEKS: `1:${good},1:${b64()}`, VAULT_FINGERPRINT_KEY: good }, /duplicate/],
    ['missing VAULT_FINGERPRINT_KEY', { VAULT_KEKS: `1:${good}` }, /^VAULT_FINGERPRINT_KEY /],
    ['short VAULT_FINGERPRINT_KEY', { VAULT_KEKS: `1:${good}`, VAULT_FINGERPRINT_KEY: 'AAAA' }, /^VAULT_FINGERPRINT_KEY /],
  ])('rejects %s with an error naming the variable', (_label, env, expected) => {
    const load = () => new EnvKeyringSource(env).load();
    expect(load).toThrow(VaultKeyError);
    expect(load).toThrow(expected);
    try {
      load();
    } catch (err) {
      expect((err as Error).message).not.toContain(good.slice(0, 12));
    }
  });
});

describe('Keyring hot reload (another process rotates the shared file)', () => {
  it('a running keyring picks up a rotation and a retirement made through another instance, without a restart', () => {
    const file = path.join(dir, 'shared-keyring.json');
    const gateway = new Keyring(new FileKeyringSource(file));
    const operator = new Keyring(new FileKeyringSource(file));
    expect(gateway.active().version).toBe(1);
    const v2 = operator.rotate();
    expect(gateway.active().version).toBe(2);
    expect(gateway.active().key.reveal().equals(v2.key.reveal())).toBe(true);
    expect(gateway.get(1).status).toBe('decrypt-only');
    operator.retire(1);
    expect(() => gateway.get(1)).toThrow(/retired/);
  });

  it('keeps serving with the keys it has if the file becomes unreadable', () => {
    const file = path.join(dir, 'broken-keyring.json');
    const gateway = new Keyring(new FileKeyringSource(file));
    const before = gateway.active().version;
    fs.writeFileSync(file, '{ not json', { mode: 0o600 });
    expect(gateway.active().version).toBe(before);
  });

  it('does not reload an environment keyring (it has no stamp)', () => {
    const env = { VAULT_KEKS: `1:${b64()}`, VAULT_FINGERPRINT_KEY: b64() };
    const keyring = new Keyring(new EnvKeyringSource(env));
    env.VAULT_KEKS = `1:${b64()},2:${b64()}`;
    expect(keyring.active().version).toBe(1);
    expect(keyring.writable).toBe(false);
  });
});
