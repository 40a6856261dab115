import { Static } from '@sinclair/typebox';

import { Result } from './models';
import { PayAnswer } from './payment-answers';

/**
 * Typed answer fixtures for unit specs: a full `result` (the wire type requires code, status and message) and a
 * pay answer built on it. Not imported by production code; `*.fakes.ts` is left out of the build (tsconfig.build.json).
 */
const DEFAULT_CODE = { S: 'SUCCESS', F: 'PROCESS_FAIL', U: 'UNKNOWN_EXCEPTION' } as const;

export function result(
  status: 'S' | 'F' | 'U',
  resultCode: string = DEFAULT_CODE[status],
  resultMessage = resultCode.toLowerCase(),
): Static<typeof Result> {
  return { resultStatus: status, resultCode, resultMessage };
}

/** A pay answer with the given status, plus any of its fields. */
export function payAnswer(status: 'S' | 'F' | 'U', over: Partial<PayAnswer> = {}): PayAnswer {
  return { result: result(status), ...over };
}
