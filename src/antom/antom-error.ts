import { AntomResult, antomResult, isWellFormedCode, ResultCode } from './result-codes';

/**
 * A business outcome to answer in Antom's format (HTTP 200, `result` with the code). Thrown anywhere
 * below the edge; the merchant-api filter turns it into the signed response.
 */
export class AntomError extends Error {
  readonly result: AntomResult;
  constructor(
    code: ResultCode,
    message?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message ?? code);
    this.result = antomResult(code, message);
  }

  /**
   * The acquirer's own final refusal, passed on with its code and message (e.g. a cancel refused with
   * CANCEL_WINDOW_EXCEED), whether or not the gateway's table knows the code; `fallback` when the
   * code is not one Antom could have sent.
   */
  static upstreamRefusal(
    r: { resultCode?: unknown; resultMessage?: unknown },
    fallback: ResultCode,
    extra: Record<string, unknown> = {},
  ): AntomError {
    const e = new AntomError(fallback, undefined, extra);
    const message = typeof r.resultMessage === 'string' && r.resultMessage ? Array.from(r.resultMessage).slice(0, 256).join('') : undefined;
    if (isWellFormedCode(r.resultCode))
      Object.assign(e.result, {
        resultCode: r.resultCode,
        resultStatus: 'F',
        resultMessage: message ?? `The acquirer refused the request (${r.resultCode}).`,
      });
    else if (message) e.result.resultMessage = message;
    return e;
  }
}
