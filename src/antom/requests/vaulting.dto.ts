import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

import { AntomBoolean, EnvDto, IsNotifyUrl, Refused } from './common.dto';

/*
 * Antom's vaulting requests (alipay/global-open-sdk-java request/ams/pay/AlipayVaulting*Request, the Go SDK's
 * request/vaulting/*.go for the JSON types). Fields Antom defines that the gateway cannot honour are refused
 * by name (`Refused`), never accepted and dropped.
 */

const NOT_GAGW = "the gateway is not Antom's Global Acquirer Gateway; one merchant region per client id";
const ONE_ACCOUNT = 'one merchant account per client id here';

/** POST /ams/api/v1/vaults/createVaultingSession */
export class VaultingSessionRequestDto {
  @IsDefined() @IsIn(['CARD']) paymentMethodType: string;
  @IsString() @IsNotEmpty() @MaxLength(64) vaultingRequestId: string;
  @IsOptional() @IsString() @MaxLength(2048) @IsNotifyUrl() vaultingNotificationUrl?: string;
  @IsOptional() @IsString() @MaxLength(2048) @IsNotifyUrl() redirectUrl?: string;
  @IsOptional() @Refused(NOT_GAGW) merchantRegion?: unknown;
  /** The gateway's card page vaults without 3DS (authentication belongs to the first payment): false only. */
  @IsOptional()
  @AntomBoolean()
  @IsBoolean()
  @IsIn([false], { message: '$property is not supported: the card page vaults without 3DS; authenticate on the first payment' })
  is3DSAuthentication?: boolean;
}

/**
 * Antom's PaymentMethodDetail as a vaulting request carries it: a card. `card` stays an object here; the
 * PCI folder reads it (pci/card-collection/vaulting-card.ts), so no card-shaped type exists outside it.
 */
export class VaultingPaymentMethodDetailDto {
  @IsDefined() @IsIn(['CARD']) paymentMethodDetailType: string;
  @IsDefined() @IsObject() card: Record<string, unknown>;
  @IsOptional() @IsIn(['CARD']) paymentMethodType?: string;
  @IsOptional() @Refused('only a card is vaulted') externalAccount?: unknown;
  @IsOptional() @Refused('only a card is vaulted') discount?: unknown;
  @IsOptional() @Refused('only a card is vaulted') coupon?: unknown;
  @IsOptional() @Refused('only a card is vaulted') wallet?: unknown;
  @IsOptional() @Refused('nothing is read from it when vaulting') extendInfo?: unknown;
  @IsOptional() @Refused('the card is vaulted server to server') interactionType?: unknown;
}

/** POST /ams/api/v1/vaults/vaultPaymentMethod */
export class VaultPaymentMethodRequestDto {
  @IsString() @IsNotEmpty() @MaxLength(64) vaultingRequestId: string;
  @IsOptional() @IsString() @MaxLength(2048) @IsNotifyUrl() vaultingNotificationUrl?: string;
  @IsOptional() @IsString() @MaxLength(2048) @IsNotifyUrl() redirectUrl?: string;
  /** Absent: the vaultingRequestId of a session, asking for its state (see VaultingService). */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => VaultingPaymentMethodDetailDto) paymentMethodDetail?: VaultingPaymentMethodDetailDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EnvDto) env?: EnvDto;
  @IsOptional() @Refused(NOT_GAGW) merchantRegion?: unknown;
  @IsOptional() @Refused(ONE_ACCOUNT) merchantAccountId?: unknown;
  @IsOptional() @Refused('the gateway keeps no merchant metadata with a vaulted card') metadata?: unknown;
  @IsOptional() @Refused('no currency is verified when vaulting; the first payment names its own') vaultingCurrency?: unknown;
  @IsOptional() @Refused('there is no Antom page to customize') customizedInfo?: unknown;
}

/** POST /ams/api/v1/vaults/inquireVaulting */
export class InquireVaultingRequestDto {
  @IsString() @IsNotEmpty() @MaxLength(64) vaultingRequestId: string;
  @IsOptional() @Refused(ONE_ACCOUNT) merchantAccountId?: unknown;
}
