import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

import { AmountDto, AntomBoolean, IsNotifyUrl, Refused } from './common.dto';

export class CaptureRequestDto {
  @IsString() @IsNotEmpty() @MaxLength(64) captureRequestId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) paymentId: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => AmountDto) captureAmount: AmountDto;
  @IsOptional() @AntomBoolean() @IsBoolean() isLastCapture?: boolean;
}

export class CancelRequestDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) paymentId?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) paymentRequestId?: string;
}

export class RefundRequestDto {
  @IsString() @IsNotEmpty() @MaxLength(64) refundRequestId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) paymentId: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => AmountDto) refundAmount: AmountDto;
  @IsOptional() @IsString() @MaxLength(256) refundReason?: string;
  @IsOptional() @IsString() @MaxLength(2048) @IsNotifyUrl() refundNotifyUrl?: string;
  /** One capture of the payment (the gateway's captureId): the refund is forwarded against the acquirer's id of it. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) captureId?: string;
  /** The merchant's own reference of the refund: forwarded. */
  @IsOptional() @IsString() @MaxLength(64) referenceRefundId?: string;
  @IsOptional() @Refused('refunds are not split by detail here; refund the amount') refundDetails?: unknown;
  /**
   * Antom's asynchronous refund: the answer is U REFUND_IN_PROCESS, the result comes by notifyRefund
   * (REFUND_RESULT) and inquiryRefund. Forwarded to the acquirer as sent.
   */
  @IsOptional() @AntomBoolean() @IsBoolean() isAsyncRefund?: boolean;
}

export class InquiryRefundRequestDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) refundRequestId?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) refundId?: string;
}

/** Antom's AlipayUpdateAmountRequest: `amount` is the new authorized total, not the increment. */
export class UpdateAmountRequestDto {
  @IsString() @IsNotEmpty() @MaxLength(64) updateRequestId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) paymentId: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => AmountDto) amount: AmountDto;
}
