import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Antom's limit on a Base64 defence document (supplyDefenseDocument.disputeEvidence), in characters. */
export const DISPUTE_EVIDENCE_MAX_CHARS = 1_000_000;

/** DisputeEvidenceType in Antom's SDKs: the prefilled template, or the file supplied earlier. */
export const DISPUTE_EVIDENCE_TYPES = ['DISPUTE_EVIDENCE_TEMPLATE', 'DISPUTE_EVIDENCE_FILE'] as const;
export type DisputeEvidenceType = (typeof DISPUTE_EVIDENCE_TYPES)[number];

/** payments/acceptDispute (AlipayAcceptDisputeRequest): the merchant takes the liability. */
export class AcceptDisputeRequestDto {
  @IsString() @IsNotEmpty() @MaxLength(64) disputeId: string;
}

/** payments/supplyDefenseDocument (AlipaySupplyDefenseDocumentRequest): a PDF or Word file, Base64. */
export class SupplyDefenseDocumentRequestDto {
  @IsString() @IsNotEmpty() @MaxLength(64) disputeId: string;
  @IsString() @IsNotEmpty() @MaxLength(DISPUTE_EVIDENCE_MAX_CHARS) disputeEvidence: string;
}

/** payments/downloadDisputeEvidence (AlipayDownloadDisputeEvidenceRequest). */
export class DownloadDisputeEvidenceRequestDto {
  @IsString() @IsNotEmpty() @MaxLength(64) disputeId: string;
  @IsString() @IsIn(DISPUTE_EVIDENCE_TYPES) disputeEvidenceType: DisputeEvidenceType;
}
