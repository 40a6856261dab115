import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { AmountDto, AntomBoolean, IsNotifyUrl } from './common.dto';

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
  @IsOptional() @IsString() @MaxLength(64) captureId?: string;
}

export class InquiryRefundRequestDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) refundRequestId?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) refundId?: string;
}
