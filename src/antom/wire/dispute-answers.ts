import { Static, Type } from '@sinclair/typebox';

import { Closed, Id, Opt, StringEnum, Time } from './kit';
import { Result } from './models';

/*
 * The dispute APIs' answers (Go SDK responseDispute.AlipayAcceptDisputeResponse, AlipaySupplyDefenseDocumentResponse,
 * AlipayDownloadDisputeEvidenceResponse). Built by src/operations/disputes.service.ts.
 */

const resolution = (id: string, what: string) =>
  Closed(id, `${what}: the dispute and when the acquirer resolved it (a repeat answers the stored answer).`, {
    result: Result,
    disputeId: Opt(Id("The gateway's id of the dispute (gwd_…).")),
    disputeResolutionTime: Opt(Time),
  });

export const AcceptDisputeAnswer = resolution('AcceptDisputeAnswer', 'acceptDispute (AlipayAcceptDisputeResponse)');
export const SupplyDefenseDocumentAnswer = resolution('SupplyDefenseDocumentAnswer', 'supplyDefenseDocument (AlipaySupplyDefenseDocumentResponse)');
/** acceptDispute's and supplyDefenseDocument's answer (one shape; stored with the dispute and answered again on a repeat). */
export type DisputeResolutionAnswer = Static<typeof AcceptDisputeAnswer>;

export const DownloadDisputeEvidenceAnswer = Closed(
  'DownloadDisputeEvidenceAnswer',
  "downloadDisputeEvidence (AlipayDownloadDisputeEvidenceResponse): the document, Base64. A failure after the dispute was found also names it (disputeId, which Antom's model does not have).",
  {
    result: Result,
    disputeId: Opt(Id("The dispute, on a failure only (the gateway's addition).")),
    disputeEvidence: Opt(Type.String({ contentEncoding: 'base64' })),
    disputeEvidenceFormat: Opt(StringEnum(['PDF', 'WORD'])),
  },
);
export type DownloadDisputeEvidenceAnswer = Static<typeof DownloadDisputeEvidenceAnswer>;
