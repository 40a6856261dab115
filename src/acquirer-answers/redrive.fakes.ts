/*
 * Test doubles for the re-drive services' unit specs (*.spec.ts beside them): the repositories and ports they
 * use, faked in memory, Immich-style — a spec builds the service with these and drives the acquirer's answers.
 * Not imported by production code; `*.fakes.ts` is left out of the build (tsconfig.build.json).
 */
import { RedriveTable } from '../payments/redrive-lease.repository';
import { UpstreamOutcome } from '../upstream/antom-client';
import { Leases } from './redrive-timing';

/** RedriveLeaseRepository's rules in memory: a claim only while the lease is null or past; release = now + interval. */
export class FakeLeases implements Leases {
  readonly until = new Map<string, number>();
  claims = 0;

  async claim(table: RedriveTable, id: string, leaseMs: number): Promise<{ claimed: boolean; previous: Date | null }> {
    const key = `${table}:${id}`;
    const previous = this.until.get(key);
    if (previous !== undefined && previous > Date.now()) return { claimed: false, previous: null };
    this.claims++;
    this.until.set(key, Date.now() + leaseMs);
    return { claimed: true, previous: previous === undefined ? null : new Date(previous) };
  }

  async release(table: RedriveTable, id: string, intervalMs: number): Promise<void> {
    this.until.set(`${table}:${id}`, Date.now() + intervalMs);
  }

  /** As if the last re-drive of the row ended `agoMs` ago. */
  endedAgo(table: RedriveTable, id: string, agoMs: number): void {
    this.until.set(`${table}:${id}`, Date.now() - agoMs);
  }
}

/** An upstream call answered by the script, in order (the last answer repeats); every request is kept. */
export class ScriptedCalls<T> {
  readonly requests: unknown[] = [];
  private readonly answers: Array<UpstreamOutcome<T>>;

  constructor(...answers: Array<UpstreamOutcome<T>>) {
    this.answers = answers;
  }

  readonly call = async (request: unknown): Promise<UpstreamOutcome<T>> => {
    this.requests.push(request);
    return this.answers.length > 1 ? this.answers.shift()! : this.answers[0];
  };
}

export const answer = <T>(body: T): UpstreamOutcome<T> => ({ kind: 'answer', body });
export const noAnswer = <T>(): UpstreamOutcome<T> => ({ kind: 'no-answer', reason: 'HTTP 503' });
