import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { AntomText } from './antom-scalars';
import { AmountDto, AntomBoolean, EnvDto, IsNotifyUrl, Refused, UserNameDto } from './common.dto';

// Every nested object is @IsObject() as well as @ValidateNested(): ValidateNested alone accepts an
// array (it validates each element, and [] has none), and `order: []` then crashed the pay flow.

export class GoodsDto {
  @IsOptional() @IsString() @MaxLength(64) referenceGoodsId?: string;
  @IsOptional() @IsString() @MaxLength(256) goodsName?: string;
  @IsOptional() @IsString() @MaxLength(64) goodsCategory?: string;
  @IsOptional() @IsString() @MaxLength(2048) goodsUrl?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AmountDto) goodsUnitAmount?: AmountDto;
  // String in Antom's models; a JSON number is taken and kept as its string.
  @IsOptional() @AntomText() @IsString() @MaxLength(32) goodsQuantity?: string;
}

export class BuyerDto {
  @IsOptional() @IsString() @MaxLength(64) referenceBuyerId?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => UserNameDto) buyerName?: UserNameDto;
  @IsOptional() @IsString() @MaxLength(24) buyerPhoneNo?: string;
  @IsOptional() @IsString() @MaxLength(64) buyerEmail?: string;
}

export class OrderDto {
  @IsString() @IsNotEmpty() @MaxLength(64) referenceOrderId: string;
  @IsString() @IsNotEmpty() @MaxLength(256) orderDescription: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => AmountDto) orderAmount: AmountDto;
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => GoodsDto) goods?: GoodsDto[];
  @IsOptional() @IsObject() shipping?: Record<string, unknown>;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => BuyerDto) buyer?: BuyerDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EnvDto) env?: EnvDto;
}

export class PaymentMethodDto {
  @IsIn(['CARD'], { message: 'paymentMethodType must be CARD' }) paymentMethodType: 'CARD';
  @IsOptional() @IsString() @MaxLength(128) paymentMethodId?: string;
  /** Card fields are checked by card-collection's validator, which knows Luhn, brands and expiry. */
  @IsOptional() @IsObject() paymentMethodMetaData?: Record<string, unknown>;
  @IsOptional() @AntomBoolean() @IsBoolean() requireIssuerAuthentication?: boolean;
}

export class PaymentFactorDto {
  @IsOptional() @AntomBoolean() @IsBoolean() isAuthorization?: boolean;
  // The seed: "paymentFactor.captureMode 字段为空或不传" (empty or absent) means automatic capture: "" reads as absent.
  @IsOptional() @Transform(({ value }) => (value === '' ? undefined : value)) @IsIn(['AUTOMATIC', 'MANUAL']) captureMode?: 'AUTOMATIC' | 'MANUAL';
}

export class SettlementStrategyDto {
  @IsOptional() @IsString() @MaxLength(3) settlementCurrency?: string;
}

export class PayRequestDto {
  @IsIn(['CASHIER_PAYMENT'], { message: 'productCode must be CASHIER_PAYMENT' }) productCode: string;
  @IsString() @IsNotEmpty() @MaxLength(64) paymentRequestId: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => OrderDto) order: OrderDto;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => AmountDto) paymentAmount: AmountDto;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PaymentMethodDto) paymentMethod: PaymentMethodDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PaymentFactorDto) paymentFactor?: PaymentFactorDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EnvDto) env?: EnvDto;
  @IsString() @IsNotEmpty() @MaxLength(2048) paymentRedirectUrl: string;
  @IsOptional() @IsString() @MaxLength(2048) @IsNotifyUrl() paymentNotifyUrl?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SettlementStrategyDto) settlementStrategy?: SettlementStrategyDto;
  @IsOptional() @IsString() @MaxLength(64) paymentExpiryTime?: string;
  @IsOptional() @IsObject() creditPayPlan?: Record<string, unknown>;
  // Forwarded upstream as sent (upstreamPayEnvelope).
  @IsOptional() @IsString() @Matches(/^[A-Z]{2}$/, { message: 'merchantRegion must be an ISO 3166 alpha-2 code' }) merchantRegion?: string;
  @IsOptional() @IsString() @Matches(/^[A-Z]{2}$/, { message: 'userRegion must be an ISO 3166 alpha-2 code' }) userRegion?: string;
  @IsOptional() @IsString() @MaxLength(2048) extendInfo?: string;
  // Antom's sub-merchant block (payment facilitators): no sub-merchant is onboarded through this gateway.
  @IsOptional() @Refused('sub-merchants are not onboarded through this gateway') merchant?: unknown;
}

export class InquiryPaymentRequestDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) paymentRequestId?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) paymentId?: string;
}
