import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

import { AmountDto, EnvDto, Refused } from './common.dto';
import { BuyerDto, PaymentFactorDto, SettlementStrategyDto } from './pay.dto';

const REGION = /^[A-Z]{2}$/;

/**
 * Antom's AlipayPayConsultRequest (`/ams/api/v1/payments/consult`), for the one payment method this gateway
 * offers, CARD. What decides the answer: productCode, paymentAmount (its currency: the installment plans
 * paid in it, a currency cards are not charged in refused as pay refuses it), userRegion (whose installment
 * plans), allowedPaymentMethods / blockedPaymentMethods and allowedPaymentMethodRegions (cards belong to
 * GLOBAL). The context fields a pay also takes (env, buyer, merchantRegion, settlementStrategy,
 * paymentFactor, customerId, referenceUserId, region, extendInfo) are validated as pay validates them; the
 * card option does not depend on them. Fields of products the gateway does not run are refused by name.
 */
export class ConsultRequestDto {
  @IsIn(['CASHIER_PAYMENT'], { message: 'productCode must be CASHIER_PAYMENT' }) productCode: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => AmountDto) paymentAmount: AmountDto;
  @IsOptional() @IsString() @Matches(REGION, { message: 'userRegion must be an ISO 3166 alpha-2 code' }) userRegion?: string;
  @IsOptional() @IsString() @Matches(REGION, { message: 'merchantRegion must be an ISO 3166 alpha-2 code' }) merchantRegion?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(64, { each: true }) allowedPaymentMethods?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(64, { each: true }) blockedPaymentMethods?: string[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(300)
  @Matches(/^([A-Z]{2}|GLOBAL)$/, { each: true, message: 'allowedPaymentMethodRegions must hold ISO 3166 alpha-2 codes or GLOBAL' })
  allowedPaymentMethodRegions?: string[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EnvDto) env?: EnvDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => BuyerDto) buyer?: BuyerDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SettlementStrategyDto) settlementStrategy?: SettlementStrategyDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PaymentFactorDto) paymentFactor?: PaymentFactorDto;
  @IsOptional() @IsString() @MaxLength(64) customerId?: string;
  @IsOptional() @IsString() @MaxLength(64) referenceUserId?: string;
  @IsOptional() @IsString() @MaxLength(6) region?: string;
  @IsOptional() @IsString() @MaxLength(2048) extendInfo?: string;
  @IsOptional() @Refused("a client id is one merchant account here; send the request with that account's client id") merchantAccountId?: unknown;
  @IsOptional() @Refused('sub-merchants are not onboarded through this gateway') merchant?: unknown;
  @IsOptional() @Refused('wallet (Alipay+) payment methods are not offered; cards only') allowedPspRegions?: unknown;
  @IsOptional() @Refused('payment evaluation is not offered') paymentEvaluation?: unknown;
}
