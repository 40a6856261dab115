/* The acquirer: notifications (unsigned ones are parsed too) and answers. */
import { Type } from '@sinclair/typebox';

import { parseDisputeNotice } from '../../../src/acquirer-answers/dispute-notice';
import { safeMask } from '../../../src/acquirer-answers/pay-outcome';
import { dateOrNull, referenceNo } from '../../../src/antom/answers';
import { isWellFormedCode, upstreamUnknownCode } from '../../../src/antom/result-codes';
import { asAntomModel } from '../../../src/antom/wire/coerce';
import { ANCHORED, Case, LIMITS, r, rep, rx } from './harness';

export const ACQUIRER: Case[] = [
  // ---- Acquirer: notifications (unsigned ones are parsed too) and answers ----
  {
    what: 'parseDisputeNotice (acquirer-answers/dispute-notice.ts)',
    input: 'notifyDispute body',
    limit: LIMITS.body,
    why: 'times over 64 characters refused before the pattern; every pattern anchored with bounded quantifiers (recheck: safe)',
    covers: {
      'src/acquirer-answers/dispute-notice.ts': [
        r`/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)$/`,
        r`/^[A-Z]{3}$/`,
        r`/^(0|[1-9]\d{0,17})$/`,
      ],
    },
    attacks: [rep('1'), rep(':00', 'x', '2026-01-01T00:00'), rep('A')],
    run: (s) =>
      [{ disputeTime: s }, { disputeAmount: { currency: s, value: '1' } }, { disputeAmount: { currency: 'EUR', value: s } }].map((f) =>
        parseDisputeNotice({ disputeId: 'd', disputeNotificationType: 'DISPUTE_CREATED', paymentId: 'p', ...f }),
      ),
  },
  rx(
    'src/acquirer-answers/acquirer-notifications.service.ts',
    r`/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/`,
    'request ids of a notification (signed or not)',
    LIMITS.body,
    ANCHORED,
    rep('a'),
    rep('a', '', '01234567-'),
  ),
  rx(
    'src/acquirer-answers/dispute-notifications.service.ts',
    r`/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/`,
    'paymentRequestId of a notifyDispute',
    LIMITS.body,
    ANCHORED,
    rep('a'),
  ),
  rx(
    'src/acquirer-answers/automatic-capture.ts',
    r`/^\d{1,18}$/`,
    'captureAmount.value of a CAPTURE_RESULT notification',
    LIMITS.body,
    ANCHORED,
    rep('1'),
  ),
  rx(
    'src/acquirer-answers/reconciliation.service.ts',
    r`/^[0-9a-f-]{36}$/`,
    "an id in an acquirer's inquiry answer",
    LIMITS.acquirerAnswer,
    ANCHORED,
    rep('a-'),
  ),
  {
    what: 'safeMask (acquirer-answers/pay-outcome.ts)',
    input: "cardNo and cardBin in an acquirer's answer",
    limit: LIMITS.acquirerAnswer,
    why: ANCHORED,
    covers: { 'src/acquirer-answers/pay-outcome.ts': [r`/^[0-9*]{12,19}$/`] },
    attacks: [rep('*'), rep('1')],
    run: (s) => safeMask(s),
  },
  rx('src/acquirer-answers/pay-outcome.ts', r`/^\d{6,8}$/`, "cardBin in an acquirer's answer", LIMITS.acquirerAnswer, ANCHORED, rep('1')),
  {
    what: 'referenceNo, dateOrNull (antom/answers.ts)',
    input: "acquirerReferenceNo and times in an acquirer's answer",
    limit: LIMITS.acquirerAnswer,
    why: 'anchored, bounded (recheck: safe); Date parsing is linear (measured: 2 MiB of digits, spaces or words in 4–35 ms)',
    covers: { 'src/antom/answers.ts': [r`/^[\x21-\x7e]{1,64}$/`] },
    attacks: [rep('!'), rep('a '), rep('1')],
    run: (s) => [referenceNo(s), dateOrNull(s)],
  },
  {
    what: 'isWellFormedCode, upstreamUnknownCode (antom/result-codes.ts)',
    input: "resultCode in an acquirer's answer",
    limit: LIMITS.acquirerAnswer,
    why: ANCHORED,
    covers: { 'src/antom/result-codes.ts': [r`/^[A-Z][A-Z0-9_]{1,63}$/`] },
    attacks: [rep('A')],
    run: (s) => [isWellFormedCode(s), upstreamUnknownCode('pay', s)],
  },
  {
    what: 'asAntomModel (antom/wire/coerce.ts)',
    input: "paymentResultInfo and other models in an acquirer's answer",
    limit: LIMITS.acquirerAnswer,
    why: ANCHORED,
    covers: { 'src/antom/wire/coerce.ts': [r`/^[+-]?\d{1,9}$/`] },
    attacks: [rep('1'), rep('1', '', '-')],
    run: (s) => asAntomModel({ n: s, t: s, list: [s, s] }, Type.Object({ n: Type.Integer(), t: Type.String(), list: Type.Array(Type.Integer()) })),
  },
  rx(
    'src/notifications/outbox/delivery.worker.ts',
    r`/^[\w-]{1,64}$/`,
    'an id in a notification body (from the merchant request)',
    LIMITS.stored,
    ANCHORED,
    rep('a'),
  ),
];
