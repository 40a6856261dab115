import { Sql } from './sql';

/** The CTE a payment transition's UPDATE is named by: a ride-along write runs only if it returned the row. */
export const TRANSITION_ROW = 'main';

/**
 * A write that rides along with a payment's transition in its ONE statement, and happens only if the
 * transition did: an intent ("destroy the CVV", "queue the merchant's notice", "keep the acquirer's
 * token") built by the repository that owns the table, run by PaymentsRepository.applyPayOutcome. The
 * caller (settlement) passes it on and never sees its SQL.
 */
export interface RideAlong {
  readonly ctes: ReadonlyArray<readonly [name: string, part: Sql]>;
}
