/** What one upstream call came back with (its own file: the client and the retry policy both read it). */
export type UpstreamOutcome<T> =
  | { kind: 'answer'; body: T }
  /**
   * No trustworthy answer: timeout, network error, non-200, unsigned or forged response. The operation may
   * have happened — unless `notSent` (the circuit breaker was open, nothing left this process).
   */
  | { kind: 'no-answer'; reason: string; notSent?: boolean };
