import * as path from 'node:path';

import { AntomError } from '../antom/antom-error';
import { DefenseCheck } from '../antom/defense-document';
import { DISPUTE_EVIDENCE_MAX_CHARS } from '../antom/requests/dispute.dto';
import { runInWorker } from '../platform/jobs/run-in-worker';

/** The largest document a Base64 string of Antom's maximum length can hold. */
export const DEFENSE_DOCUMENT_MAX_BYTES = (DISPUTE_EVIDENCE_MAX_CHARS / 4) * 3;

/**
 * Seconds a document's check may take. The check is linear and its decoded text capped at 16 MB, which takes
 * about 1 s on this machine at worst; ten times that is only reached by a document built to be slow.
 */
export const DEFENSE_CHECK_DEADLINE_MS = 10_000;

/**
 * A defence document checked off the event loop (a worker thread, terminated at the deadline, with its
 * own memory cap), so no document can stall the gateway's other requests. A document that cannot be checked
 * in time or memory is refused (F: it will not pass by itself, it is built so); a full queue of checks is
 * a U (retry later with the same document).
 */
export async function checkDefenseDocumentOffThread(evidence: string): Promise<DefenseCheck> {
  const outcome = await runInWorker<DefenseCheck>(
    path.join(__dirname, '../antom/defense-document'),
    'checkDefenseDocument',
    [evidence, DEFENSE_DOCUMENT_MAX_BYTES],
    { deadlineMs: DEFENSE_CHECK_DEADLINE_MS },
  );
  switch (outcome.kind) {
    case 'done':
      return outcome.value;
    case 'timeout':
      return { ok: false, reason: `could not be checked for card numbers within ${DEFENSE_CHECK_DEADLINE_MS / 1000} s` };
    case 'busy':
      throw new AntomError('REQUEST_TRAFFIC_EXCEED_LIMIT', 'Too many documents are being checked; retry with the same document shortly.');
    case 'failed':
      return {
        ok: false,
        reason: outcome.reason === 'out-of-memory' ? 'expands beyond what can be checked' : 'could not be checked for card numbers',
      };
  }
}
