import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

import { Refused } from './common.dto';

/**
 * Antom's AlipayGetCardInfoRequest (`/ams/api/v1/payments/getCardInfo`): a card number or its BIN, and
 * optionally the region an installment plan would be paid in. The card number is handed to the PCI
 * folder, which keeps its BIN only (the log redaction lists `cardNo`).
 */
export class GetCardInfoRequestDto {
  @IsOptional() @IsString() @MaxLength(32) cardNo?: string;
  @IsOptional() @IsString() @Matches(/^\d{6,8}$/, { message: 'cardBin must be 6 to 8 digits' }) cardBin?: string;
  @IsOptional() @IsString() @Matches(/^[A-Z]{2}$/, { message: 'paymentMethodRegion must be an ISO 3166 alpha-2 code' }) paymentMethodRegion?: string;
}

/** Antom's AlipayInquireInstallmentRequest (`/ams/api/v1/payments/inquireInstallment`). */
export class InquireInstallmentRequestDto {
  @IsOptional() @Refused("a client id is one merchant account here; send the request with that account's client id") merchantAccountId?: unknown;
}
