import { createHash } from 'node:crypto';

import { AntomError } from '../antom/antom-error';

/** Antom's key fields of a lifecycle request (payment, currency, amount), hashed: a same-id retry must carry the same. */
export function keyHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('|')).digest('hex');
}

/** The stored row of a request id seen before, if the key fields match; else REPEAT_REQ_INCONSISTENT. */
export function sameRequest<T extends { requestHash: string }>(existing: T, hash: string, idName = 'request id'): T {
  if (existing.requestHash !== hash)
    throw new AntomError('REPEAT_REQ_INCONSISTENT', `This ${idName} was used before with a different payment or amount.`);
  return existing;
}
