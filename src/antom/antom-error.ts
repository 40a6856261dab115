import { ResultCode, antomResult, AntomResult } from './result-codes';

/**
 * A business outcome to answer in Antom's format (HTTP 200, `result` with the code). Thrown anywhere
 * below the edge; the merchant-api filter turns it into the signed response.
 */
export class AntomError extends Error {
  readonly result: AntomResult;
  constructor(code: ResultCode, message?: string, readonly extra: Record<string, unknown> = {}) {
    super(message ?? code);
    this.result = antomResult(code, message);
  }
}
