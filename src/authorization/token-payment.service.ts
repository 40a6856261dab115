import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AntomError } from '../antom/antom-error';
import { ResultCode } from '../antom/result-codes';
import { CardTokensService } from '../card-collection/card-tokens.service';
import { GatewayConfig } from '../config/gateway-config';
import { PayRequestDto } from '../merchant-api/dto/pay.dto';
import { MerchantIdentity } from '../merchants/merchants.service';
import { Payment } from '../payments/payment.entity';
import { payResponse } from '../payments/payment-view';
import { PaymentsRepository } from '../payments/payments.repository';
import { AntomClient, UpstreamOutcome } from '../upstream/antom-client';
import { TokenCard } from '../vault/token-card';
import { CardExpiredError, CardNotFoundError, VaultIntegrityError, VaultKeyError } from '../vault/vault-errors';
import { VaultService } from '../vault/vault.service';
import { buildUpstreamPay, ForwardedCard } from './upstream-pay-request';
import { mapPayOutcome, MappedPayResult, UpstreamPayAnswer } from './upstream-result';

export type Replay = (existing: Payment, requestHash: string) => Promise<Record<string, unknown>>;

/** `paymentMethod.paymentMethodId` carries a vault token and no raw card is sent. */
export function isTokenPayment(req: PayRequestDto): boolean {
  const meta = req.paymentMethod.paymentMethodMetaData ?? {};
  return typeof req.paymentMethod.paymentMethodId === 'string' && meta.cardNo === undefined;
}

/**
 * Paying with a vault token: resolve the token (owner, lifetime, one-time use) → payment row, spending a
 * one-time token in the same transaction → open the card inside the vault callback and forward it → map,
 * destroying the CVV once the authorization is over. A card the vault cannot open (tampered bytes, a
 * retired key, an expired card) fails the payment with a precise code; nothing goes upstream.
 */
@Injectable()
export class TokenPaymentService {
  constructor(
    private readonly db: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly tokens: CardTokensService,
    private readonly vault: VaultService,
    private readonly upstream: AntomClient,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  async pay(merchant: MerchantIdentity, req: PayRequestDto, replay: Replay): Promise<Record<string, unknown>> {
    const token = req.paymentMethod.paymentMethodId!;
    const cvv = optionalCvv(req.paymentMethod.paymentMethodMetaData?.cvv);
    const requestHash = hashKeyFields(req, token);
    const existing = await this.payments.findByRequestId(merchant.id, req.paymentRequestId);
    if (existing) return replay(existing, requestHash);
    const card = await this.tokens.resolve(merchant.id, token);
    if (cvv) checkCvvLength(cvv, card.brands);
    const payment = newPayment(merchant, req, requestHash, card);
    if (!(await this.create(payment, card))) {
      const twin = await this.payments.findByRequestId(merchant.id, req.paymentRequestId);
      if (!twin) throw new AntomError('UNKNOWN_EXCEPTION', 'The payment could not be read back; inquire later.');
      return replay(twin, requestHash);
    }
    return this.authorize(payment, req, card, cvv);
  }

  /** Payment row (and the one-time token spent) in one transaction; false when a twin request won. */
  private async create(payment: Payment, card: TokenCard): Promise<boolean> {
    try {
      await this.db.transaction(async (tx) => {
        if (!card.onFile && !(await this.vault.consumeOneTime(tx, card.cardId))) throw new AntomError('CARD_TOKEN_USED');
        await this.payments.insert(tx, payment, { source: 'merchant-api', via: 'card-token' });
      });
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === '23505') return false;
      throw e;
    }
  }

  private async authorize(payment: Payment, req: PayRequestDto, card: TokenCard, cvv: string | undefined) {
    const upstreamReq: PayRequestDto = { ...req, env: mergeEnv(card.buyerEnv, req.env ?? req.order.env) } as PayRequestDto;
    const notifyUrl = `${this.config.publicUrl}/antom/notify`;
    const masked = { cardBin: card.bin, lastFour: card.last4, cardBrand: payment.cardBrand, cardToken: card.token };
    let mapped: MappedPayResult;
    try {
      const outcome = await this.vault.withCard(card.cardId, (raw) => {
        const forwarded: ForwardedCard = cvv ? { ...raw, cvv } : raw;
        return this.upstream.call<UpstreamPayAnswer>('payments/pay', buildUpstreamPay(upstreamReq, payment.id, notifyUrl, forwarded));
      });
      mapped = mapPayOutcome(payment, outcome as UpstreamOutcome<UpstreamPayAnswer>, masked);
    } catch (e) {
      const code = vaultFailure(e);
      if (!code) throw e;
      mapped = { status: 'FAILED', authorizationOver: true, changes: { resultStatus: 'F', resultCode: code, resultMessage: new AntomError(code).result.resultMessage, paymentResultInfo: masked } };
    }
    await this.db.transaction(async (tx) => {
      await this.payments.transition(tx, payment, mapped.status, 'AUTHORIZATION_RESULT', mapped.changes, { resultCode: mapped.changes.resultCode });
      if (mapped.authorizationOver) await this.vault.destroyCvv(tx, card.cardId);
    });
    return payResponse(payment);
  }
}

/** Vault failures are final and precise: the card was never sent anywhere. */
function vaultFailure(e: unknown): ResultCode | null {
  if (e instanceof VaultIntegrityError) return 'CARD_DATA_INTEGRITY_ERROR';
  if (e instanceof VaultKeyError) return 'CARD_KEY_UNAVAILABLE';
  if (e instanceof CardExpiredError) return 'CARD_EXPIRED';
  if (e instanceof CardNotFoundError) return 'INVALID_CARD_TOKEN'; // deleted between resolve and use
  return null;
}

/** The merchant's env wins field by field; the hosted page's browserInfo / clientIp fill the gaps. */
function mergeEnv(stored: Record<string, unknown> | null, sent: object | undefined): Record<string, unknown> | undefined {
  if (!stored && !sent) return undefined;
  const out: Record<string, unknown> = { ...(stored ?? {}) };
  for (const [k, v] of Object.entries(sent ?? {})) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

function optionalCvv(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d{3,4}$/.test(v)) throw new AntomError('INVALID_CVV', 'cvv must be 3 or 4 digits for this card brand');
  return v;
}

function checkCvvLength(cvv: string, brands: string[]): void {
  const expected = brands[0] === 'AMEX' ? 4 : 3;
  if (cvv.length !== expected) throw new AntomError('INVALID_CVV', `cvv must be ${expected} digits for this card brand`);
}

/** Key fields for idempotency: amount, the token (not the card) and the capture mode. */
function hashKeyFields(req: PayRequestDto, token: string): string {
  const key = [req.paymentAmount.currency, req.paymentAmount.value, 'CARD_TOKEN', token, req.paymentFactor?.captureMode ?? 'AUTOMATIC'];
  return createHash('sha256').update(key.join('|')).digest('hex');
}

function newPayment(merchant: MerchantIdentity, req: PayRequestDto, requestHash: string, card: TokenCard): Payment {
  return Object.assign(new Payment(), {
    id: randomUUID(),
    paymentId: `gwp_${randomUUID().replace(/-/g, '')}`,
    merchantId: merchant.id,
    paymentRequestId: req.paymentRequestId,
    requestHash,
    status: 'RECEIVED',
    captureMode: req.paymentFactor?.captureMode ?? 'AUTOMATIC',
    currency: req.paymentAmount.currency,
    amount: BigInt(req.paymentAmount.value),
    authorizedAmount: 0n,
    capturedAmount: 0n,
    refundedAmount: 0n,
    cardId: card.cardId,
    cardBin: card.bin,
    cardLast4: card.last4,
    cardBrand: card.brands[0] ?? null,
    referenceOrderId: req.order.referenceOrderId,
    paymentNotifyUrl: req.paymentNotifyUrl ?? merchant.notifyUrl,
    paymentRedirectUrl: req.paymentRedirectUrl,
    createdAt: new Date(),
  } satisfies Partial<Payment>);
}
