import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols: no 0/O, 1/I

/** 16 symbols of 5 bits = 80 random bits, shown as XXXX-XXXX-XXXX-XXXX. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return chars.match(/.{4}/g)!.join('-');
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
  constructor(private readonly db: DataSource) {}

  async replace(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM admin_recovery_code WHERE user_id = $1', [userId]);
      for (const c of codes) await tx.query('INSERT INTO admin_recovery_code (user_id, code_hash) VALUES ($1, $2)', [userId, hashOf(normalizeRecoveryCode(c)!)]);
    });
    return codes;
  }

  /** True once per code: the statement that marks it used is the check. */
  async use(userId: string, typed: string): Promise<boolean> {
    const normalized = normalizeRecoveryCode(typed);
    if (!normalized) return false;
    const [rows] = await this.db.query(
      'UPDATE admin_recovery_code SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING 1',
      [userId, hashOf(normalized)],
    );
    return rows.length > 0;
  }

  async remaining(userId: string): Promise<number> {
    return (await this.db.query('SELECT count(*)::int AS n FROM admin_recovery_code WHERE user_id = $1 AND used_at IS NULL', [userId]))[0].n;
  }

  async removeAll(userId: string): Promise<void> {
    await this.db.query('DELETE FROM admin_recovery_code WHERE user_id = $1', [userId]);
  }
}
