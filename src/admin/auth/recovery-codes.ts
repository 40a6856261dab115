import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AdminRecoveryCodesRepository } from './admin-recovery-codes.repository';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols: no 0/O, 1/I

/** 16 symbols of 5 bits = 80 random bits, shown as XXXX-XXXX-XXXX-XXXX. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return (chars.match(/.{4}/g) ?? []).join('-'); // 16 characters: always four groups
}

/** What was typed, as the code it could be: upper case, without spaces or dashes; null when it cannot be one. */
export function normalizeRecoveryCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '');
  return s.length === 16 && [...s].every((c) => ALPHABET.includes(c)) ? s : null;
}

// 80 random bits need no slow hash: SHA-256 cannot be reversed by trying them.
const hashOf = (normalized: string) => createHash('sha256').update(`admin-recovery:${normalized}`).digest('hex');

/**
 * One-time recovery codes for a lost authenticator: ten at a time, shown once when made, stored only as
 * hashes, each accepted once. Making a new set (or turning TOTP off) deletes the old one.
 */
@Injectable()
export class RecoveryCodesService {
  constructor(private readonly codes: AdminRecoveryCodesRepository) {}

  async replace(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a code newRecoveryCode just made is in the normal form
    const hashes = codes.map((c) => hashOf(normalizeRecoveryCode(c)!));
    await this.codes.replace(userId, hashes);
    return codes;
  }

  /** True once per code: the statement that marks it used is the check. */
  async use(userId: string, typed: string): Promise<boolean> {
    const normalized = normalizeRecoveryCode(typed);
    return normalized ? this.codes.markUsed(userId, hashOf(normalized)) : false;
  }

  remaining(userId: string): Promise<number> {
    return this.codes.unusedCount(userId);
  }

  removeAll(userId: string): Promise<void> {
    return this.codes.removeAll(userId);
  }
}
