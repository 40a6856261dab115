import { createHash } from 'node:crypto';

import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { AntomError } from '../antom/antom-error';
import { EnvDto } from '../antom/requests/common.dto';
import { InquireVaultingRequestDto, VaultingSessionRequestDto, VaultPaymentMethodRequestDto } from '../antom/requests/vaulting.dto';
import { InquireVaultingAnswer, VaultingSessionAnswer, VaultPaymentMethodAnswer } from '../antom/wire';
import { MerchantIdentity } from '../merchants/merchants.service';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { CardTokensService } from '../pci/card-collection/card-tokens.service';
import { CollectSessionService, SessionCardStored } from '../pci/card-collection/collect/collect-session.service';
import { CollectedCard } from '../pci/card-collection/collected-card';
import { vaultingCardInput } from '../pci/card-collection/vaulting-card';
import { GatewayAddress } from '../platform/http/gateway-address';
import { Vaulting, VaultingRepository } from './vaulting.repository';
import { inquiryAnswer, sessionAnswer, statusOf, vaultAnswer, vaultedCardDetail, vaultingNotice } from './vaulting-views';

/** Thrown inside a transaction that lost the race for its vaultingRequestId: roll back, answer the winner's. */
class LostRace extends Error {}

/**
 * Antom's vaulting on the merchant edge, answered by the gateway itself: it owns the vault, so nothing goes
 * upstream. Antom vaults a card only to hand back a token its own pay accepts; here the token is the
 * gateway's vault token (`tok_…`), which pay takes as `paymentMethodId` and forwards upstream as the card
 * (as for `/v1/cards` tokens), so asking Antom to vault the card too would add a second copy of it and
 * nothing a payment needs. The card is kept on file (vaulting is the buyer's consent to store it); the
 * first customer-initiated payment records the consent and network transaction id that MIT needs, as
 * for every on-file token (pci/vault/stored-credentials.service.ts).
 *
 * Idempotent on (merchant, vaultingRequestId): the same request gets the same answer; another request
 * with the same id gets REPEAT_REQ_INCONSISTENT (except a card for an open session's id, which completes
 * it). The card, its vaulting's final state and the notifyVaulting notice commit in one transaction, so a
 * card is never vaulted without its notice, and a notice (dedupe key per vaulting) goes out once.
 */
@Injectable()
export class VaultingService implements OnModuleInit {
  constructor(
    private readonly address: GatewayAddress,
    private readonly db: DataSource,
    private readonly repo: VaultingRepository,
    private readonly tokens: CardTokensService,
    private readonly sessions: CollectSessionService,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.sessions.onCardStored((tx, stored) => this.completeSession(tx, stored));
  }

  async createSession(merchant: MerchantIdentity, req: VaultingSessionRequestDto): Promise<VaultingSessionAnswer> {
    const hash = requestHash({
      api: 'createVaultingSession',
      paymentMethodType: req.paymentMethodType,
      notifyUrl: req.vaultingNotificationUrl,
      redirectUrl: req.redirectUrl,
    });
    const existing = await this.repo.find(merchant.id, req.vaultingRequestId);
    if (existing) return sessionAnswer(this.sameRequest(existing, 'SESSION', hash), this.address.publicUrl);
    try {
      const created = await this.db.transaction(async (tx) => {
        const page = await this.sessions.createVaultingPage(tx, merchant.id, req.redirectUrl ?? null);
        const row = await this.repo.insert(tx, {
          merchantId: merchant.id,
          vaultingRequestId: req.vaultingRequestId,
          requestHash: hash,
          source: 'SESSION',
          status: 'PROCESSING',
          sessionId: page.sessionId,
          sessionExpiresAt: page.expiresAt,
          notifyUrl: req.vaultingNotificationUrl ?? merchant.notifyUrl,
          redirectUrl: req.redirectUrl ?? null,
        });
        if (!row) throw new LostRace();
        return row;
      });
      return sessionAnswer(created, this.address.publicUrl);
    } catch (e) {
      if (!(e instanceof LostRace)) throw e;
      return this.createSession(merchant, req);
    }
  }

  /**
   * Server to server with `paymentMethodDetail.card` (a PCI-certified merchant): validated, stored on
   * file, answered S; for a session's vaultingRequestId the card completes that session. Without
   * `paymentMethodDetail`, for a session's vaultingRequestId: the session's state (U VERIFICATION_IN_PROCESS
   * with normalUrl while the buyer has the page, then S with the card).
   */
  async vaultPaymentMethod(merchant: MerchantIdentity, req: VaultPaymentMethodRequestDto): Promise<VaultPaymentMethodAnswer> {
    if (!req.paymentMethodDetail) {
      const existing = await this.repo.find(merchant.id, req.vaultingRequestId);
      if (!existing) throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter paymentMethodDetail: is required.');
      return vaultAnswer(existing, this.address.publicUrl);
    }
    if (req.redirectUrl) {
      throw new AntomError(
        'PARAM_ILLEGAL',
        'Illegal parameter redirectUrl: is not supported: a server-to-server vaulting has no buyer page to return from (no 3DS when vaulting).',
      );
    }
    // Validation first: a bad card is refused the same way every time and writes nothing.
    const collected = this.tokens.collect(merchant.id, vaultingCardInput(req.paymentMethodDetail.card));
    const hash = requestHash({ api: 'vaultPaymentMethod', card: collected.summary.fingerprint, notifyUrl: req.vaultingNotificationUrl });
    const existing = await this.repo.find(merchant.id, req.vaultingRequestId);
    if (existing?.source === 'SESSION') return this.completeSessionWithCard(merchant, existing, collected, req);
    if (existing) return vaultAnswer(this.sameRequest(existing, 'DIRECT', hash), this.address.publicUrl);
    try {
      const created = await this.db.transaction(async (tx) => {
        const card = await this.tokens.storeCollected(tx, merchant.id, collected, true, req.env ? plain(req.env) : undefined);
        const row = await this.repo.insert(tx, {
          merchantId: merchant.id,
          vaultingRequestId: req.vaultingRequestId,
          requestHash: hash,
          source: 'DIRECT',
          status: 'SUCCESS',
          cardId: card.cardId,
          paymentMethodDetail: vaultedCardDetail(card.view),
          notifyUrl: req.vaultingNotificationUrl ?? merchant.notifyUrl,
          redirectUrl: null,
        });
        // The twin request's transaction decides; this card is rolled back with everything else.
        if (!row) throw new LostRace();
        await this.notify(tx, row);
        return row;
      });
      return vaultAnswer(created, this.address.publicUrl);
    } catch (e) {
      if (!(e instanceof LostRace)) throw e;
      const winner = await this.repo.find(merchant.id, req.vaultingRequestId);
      if (!winner) throw new AntomError('UNKNOWN_EXCEPTION', 'The vaulting is being processed; retry with the same vaultingRequestId.');
      return vaultAnswer(this.sameRequest(winner, 'DIRECT', hash), this.address.publicUrl);
    }
  }

  /**
   * A session's vaulting completed server to server: the merchant collected the card itself after all. Its
   * page closes with the same card. A session already final answers its result (Antom: the same
   * vaultingRequestId, once S or F, gets the same result), whatever card is sent now.
   */
  private async completeSessionWithCard(
    merchant: MerchantIdentity,
    v: Vaulting,
    collected: CollectedCard,
    req: VaultPaymentMethodRequestDto,
  ): Promise<VaultPaymentMethodAnswer> {
    const sessionId = v.sessionId;
    if (statusOf(v) !== 'PROCESSING' || !sessionId) return vaultAnswer(v, this.address.publicUrl);
    const done = await this.db.transaction(async (tx) => {
      // The page's submit locks the session row first too: whichever comes second finds it spent.
      if (!(await this.sessions.lockOpenVaultingPage(tx, sessionId))) return null;
      const card = await this.tokens.storeCollected(tx, merchant.id, collected, true, req.env ? plain(req.env) : undefined);
      await this.sessions.attachCard(tx, sessionId, card.cardId);
      const row = await this.repo.completeSession(tx, sessionId, card.cardId, vaultedCardDetail(card.view));
      if (row) await this.notify(tx, row);
      return row;
    });
    const now = done ?? (await this.repo.find(merchant.id, v.vaultingRequestId)) ?? v;
    return vaultAnswer(now, this.address.publicUrl);
  }

  async inquire(merchant: MerchantIdentity, req: InquireVaultingRequestDto): Promise<InquireVaultingAnswer> {
    const v = await this.repo.find(merchant.id, req.vaultingRequestId);
    if (!v) throw new AntomError('VAULTING_NOT_EXIST');
    return inquiryAnswer(v, this.address.publicUrl);
  }

  /** The session's page stored the card: the vaulting completes and its notice is queued, in the page's transaction. */
  private async completeSession(tx: EntityManager, stored: SessionCardStored): Promise<void> {
    const done = await this.repo.completeSession(tx, stored.sessionId, stored.cardId, vaultedCardDetail(stored.card));
    if (done) await this.notify(tx, done);
  }

  private async notify(tx: EntityManager, v: Vaulting): Promise<void> {
    const payload = vaultingNotice(v);
    if (payload)
      await this.outbox.enqueueVaulting(tx, {
        merchantId: v.merchantId,
        vaultingId: v.id,
        dedupeKey: `vaulting:${v.id}:${v.status}`,
        url: v.notifyUrl,
        payload,
      });
  }

  private sameRequest(existing: Vaulting, source: Vaulting['source'], hash: string): Vaulting {
    if (existing.source !== source || existing.requestHash !== hash) {
      throw new AntomError(
        'REPEAT_REQ_INCONSISTENT',
        `A vaulting with this vaultingRequestId exists with different parameters${existing.source !== source ? ` (it is a ${existing.source === 'SESSION' ? 'vaulting session' : 'server-to-server vaulting'})` : ''}.`,
      );
    }
    return existing;
  }
}

/** The key fields of a request, hashed; the card enters only as the vault's keyed fingerprint. */
function requestHash(fields: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** The env fields the request DTO validates; only those are kept with the card for its first payment's env. */
const ENV_FIELDS = [
  'terminalType',
  'osType',
  'clientIp',
  'browserInfo',
  'colorDepth',
  'screenHeight',
  'screenWidth',
  'timeZoneOffset',
  'deviceId',
  'deviceLanguage',
  'deviceTokenId',
];

/** A validated env as plain JSON, validated fields only (the buyer environment of a vaulted card). */
function plain(env: EnvDto): Partial<EnvDto> {
  const json = JSON.parse(JSON.stringify(env)) as Partial<EnvDto>;
  return Object.fromEntries(Object.entries(json).filter(([k]) => ENV_FIELDS.includes(k)));
}
