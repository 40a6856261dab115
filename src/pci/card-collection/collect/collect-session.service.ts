import { randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { AntomError } from '../../../antom/antom-error';
import { antomResult } from '../../../antom/result-codes';
import { GatewayConfig } from '../../../config/gateway-config';
import { GatewayAddress } from '../../../platform/http/gateway-address';
import { CardCollectionService } from '../card-collection.service';
import { StoredCardView } from '../card-tokens.service';
import { UncheckedCardFields } from '../vaulting-card';
import { BrowserSide, buyerEnv, ServerSide } from './buyer-env';
import { CollectSessionRepository } from './collect-session.repository';
import { normalizeOrigin } from './origins';

/** A card page session is spent by one stored card; a few typos are allowed, card testing is not. */
const MAX_ATTEMPTS = 5;

export interface OpenSession {
  id: string;
  merchantId: string;
  parentOrigin: string;
  onFile: boolean;
  /** False for a vaulting session's page: opened top level (normalUrl), never framed. */
  framed: boolean;
  /** Where a top-level page sends the buyer once the card is stored. */
  redirectUrl: string | null;
}

export interface SubmitAnswer {
  result: ReturnType<typeof antomResult>;
  card?: StoredCardView;
}

/** A card the page stored, told to listeners inside the storing transaction (a vaulting completes with it). */
export interface SessionCardStored {
  sessionId: string;
  merchantId: string;
  cardId: string;
  card: StoredCardView;
}
export type SessionCardListener = (tx: EntityManager, stored: SessionCardStored) => Promise<void>;

export interface VaultingPage {
  sessionId: string;
  normalUrl: string;
  expiresAt: Date;
}

/**
 * Hosted card-collection sessions. The merchant opens one server-to-server (signed) for one of its
 * allowed parent origins; the buyer's browser loads the page in an iframe, posts the card here, and the
 * page hands the token to the parent with postMessage. The card never passes through the merchant.
 */
@Injectable()
export class CollectSessionService {
  constructor(
    private readonly address: GatewayAddress,
    private readonly db: DataSource,
    private readonly sessions: CollectSessionRepository,
    private readonly cards: CardCollectionService,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  private readonly listeners: SessionCardListener[] = [];

  /**
   * Called with every card a page stores, in the same transaction: a listener's writes commit with the
   * card or not at all (a throw rolls the card back and the buyer sees an error).
   */
  onCardStored(listener: SessionCardListener): void {
    this.listeners.push(listener);
  }

  /**
   * A top-level card page for a vaulting session (Antom's normalUrl), in the caller's transaction. The card
   * is kept on file: vaulting is the buyer's consent to store it. No site may frame the page.
   */
  async createVaultingPage(tx: Pick<EntityManager, 'query'>, merchantId: string, redirectUrl: string | null): Promise<VaultingPage> {
    const id = `cs_${randomBytes(24).toString('base64url')}`;
    const ttl = this.config.VAULT_COLLECT_SESSION_TTL_SECONDS;
    const expiresAt = await this.sessions.insertVaultingPage(
      tx,
      { id, merchantId, parentOrigin: new URL(this.address.publicUrl).origin, ttlSeconds: ttl },
      redirectUrl,
    );
    return { sessionId: id, normalUrl: `${this.address.publicUrl}/collect/${id}`, expiresAt };
  }

  /**
   * Locks a vaulting page's session for a card the merchant sends server to server instead; false when the
   * session is spent or expired. The page's own submit locks the same row first, so one card completes it.
   */
  async lockOpenVaultingPage(tx: Pick<EntityManager, 'query'>, sessionId: string): Promise<boolean> {
    const s = await this.sessions.lockVaultingPage(tx, sessionId);
    return !!s?.live && !s.card_id;
  }

  /** Closes a session locked by `lockOpenVaultingPage` with the card stored for it: its page is gone. */
  attachCard(tx: Pick<EntityManager, 'query'>, sessionId: string, cardId: string): Promise<void> {
    return this.sessions.attachCard(tx, sessionId, cardId);
  }

  async create(merchantId: string, parentOrigin: unknown, onFile: boolean) {
    const origin = normalizeOrigin(parentOrigin);
    if (!origin) throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter parentOrigin: must be an origin such as https://shop.example.');
    if (!(await this.allowedOrigins(merchantId)).includes(origin)) {
      throw new AntomError('ACCESS_DENIED', "parentOrigin is not among the merchant's allowed card-page origins.");
    }
    const id = `cs_${randomBytes(24).toString('base64url')}`;
    const ttl = this.config.VAULT_COLLECT_SESSION_TTL_SECONDS;
    await this.sessions.insert({ id, merchantId, parentOrigin: origin, onFile, ttlSeconds: ttl });
    return {
      sessionId: id,
      collectUrl: `${this.address.publicUrl}/collect/${id}`,
      expiryTime: new Date(Date.now() + ttl * 1000).toISOString().replace('Z', '+00:00'),
    };
  }

  /** The origins allowed to frame this merchant's card page (CSP frame-ancestors, postMessage target). */
  allowedOrigins(merchantId: string): Promise<string[]> {
    return this.sessions.allowedOrigins(merchantId);
  }

  async setAllowedOrigins(merchantId: string, origins: string[]): Promise<string[]> {
    const clean = origins.map((o) => normalizeOrigin(o));
    if (clean.some((o) => o === null)) throw new Error('every allowed origin must look like https://shop.example');
    await this.sessions.setAllowedOrigins(merchantId, clean as string[]);
    return clean as string[];
  }

  /** A session the page may still be shown for; remembers the navigation's Accept header for browserInfo. */
  async open(id: string, acceptHeader: string | undefined): Promise<OpenSession | null> {
    if (!/^cs_[A-Za-z0-9_-]{32}$/.test(id)) return null;
    const r = await this.sessions.open(id, (acceptHeader ?? '').slice(0, 2048) || null, MAX_ATTEMPTS);
    return r
      ? { id: r.id, merchantId: r.merchant_id, parentOrigin: r.parent_origin, onFile: r.on_file, framed: r.framed, redirectUrl: r.redirect_url }
      : null;
  }

  /**
   * Validates and stores the card for the session, in one transaction with the session row locked, so a
   * double submit stores one card. Validation failures count against the session's attempts.
   */
  async submit(id: string, body: Record<string, unknown>, server: Omit<ServerSide, 'acceptHeader'>): Promise<SubmitAnswer> {
    return this.db.transaction(async (tx) => {
      const s = await this.sessions.lockForSubmit(tx, id);
      if (!s || !s.live || s.card_id || s.attempts >= MAX_ATTEMPTS) {
        return { result: antomResult('ORDER_IS_CLOSED', 'This card page session is closed; the merchant must open a new one.') };
      }
      await this.sessions.countAttempt(tx, id);
      let collected;
      try {
        collected = this.cards.collect(s.merchant_id, cardFields(body), true);
      } catch (e) {
        if (e instanceof AntomError) return { result: e.result };
        throw e;
      }
      const env = buyerEnv(body.browserInfo as BrowserSide | undefined, { ...server, acceptHeader: s.accept_header });
      const ttl = s.on_file ? undefined : this.config.VAULT_TOKEN_TTL_SECONDS;
      const stored = await this.cards.store(tx, s.merchant_id, collected, {
        requireCvv: true,
        onFile: s.on_file,
        cvvTtlSeconds: this.config.VAULT_CVV_TTL_SECONDS,
        tokenTtlSeconds: ttl,
        buyerEnv: env,
      });
      await this.sessions.attachCard(tx, id, stored.cardId);
      const card = {
        cardToken: stored.token,
        cardBin: stored.bin,
        lastFour: stored.last4,
        cardBrand: stored.brands[0] ?? 'UNKNOWN',
        cardBrands: stored.brands,
        onFile: s.on_file,
      };
      for (const listener of this.listeners) await listener(tx, { sessionId: id, merchantId: s.merchant_id, cardId: stored.cardId, card });
      return { result: antomResult('SUCCESS'), card };
    });
  }
}

/** Only the card fields go to the validator; browserInfo and anything else stays out of the vault. */
function cardFields(body: Record<string, unknown>): UncheckedCardFields {
  const { cardNo, expiryMonth, expiryYear, cvv, cardholderName } = body;
  return { cardNo, expiryMonth, expiryYear, cvv, cardholderName };
}
