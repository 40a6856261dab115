import { DataSource, EntityManager } from 'typeorm';

import { AuditService } from '../audit/audit.service';
import { InputError, keyFingerprint } from './merchant-input';
import type { AuthExpiryPolicy, AvsPolicy, MerchantChanges } from './merchant-policies';
import { MerchantListRow, MerchantsRepository } from './merchants.repository';

export type { AuthExpiryPolicy, AvsPolicy, MerchantChanges, MerchantStatus } from './merchant-policies';

export interface NewMerchant {
  clientId: string;
  name: string;
  publicKeyPem: string;
  notifyUrl: string | null;
  avsPolicy: AvsPolicy;
  authExpiryPolicy: AuthExpiryPolicy;
}

/** What `list` and `show` print: no secret here (public keys are shown by fingerprint only). */
export interface MerchantView {
  clientId: string;
  name: string;
  status: string;
  notifyUrl: string | null;
  avsPolicy: string;
  authExpiryPolicy: string;
  createdAt: string;
  latestKeyVersion: number;
  keys: Array<{ keyVersion: number; fingerprint: string; createdAt: string }>;
}

/**
 * Merchant onboarding and maintenance outside the HTTP app (the `npm run merchant` CLI). Every change
 * appends its audit entry in the same transaction, so a change and its record commit together.
 * Running gateways cache a merchant for up to 30 s (MerchantsService), so a change reaches them within that.
 */
export class MerchantAdmin {
  private readonly audit: AuditService;
  private readonly merchants: MerchantsRepository;

  constructor(
    private readonly db: DataSource,
    private readonly actor: string,
  ) {
    this.audit = new AuditService(db);
    this.merchants = new MerchantsRepository(db);
  }

  async add(m: NewMerchant): Promise<MerchantView> {
    await this.db.transaction(async (tx) => {
      const id = await this.merchants.insertIfAbsent(tx, m);
      if (!id) throw new InputError(`merchant ${m.clientId} already exists (rotate its key with add-key, change it with set)`);
      await this.merchants.insertKey(tx, id, 1, m.publicKeyPem);
      await this.record(tx, 'MERCHANT_ADD', m.clientId, {
        keyVersion: 1,
        fingerprint: keyFingerprint(m.publicKeyPem),
        notifyUrl: m.notifyUrl,
        avsPolicy: m.avsPolicy,
        authExpiryPolicy: m.authExpiryPolicy,
      });
    });
    return this.show(m.clientId);
  }

  /** Key rotation: the new key gets the next keyVersion and becomes the one used when a request names none. */
  async addKey(clientId: string, publicKeyPem: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const id = await this.lockMerchant(tx, clientId);
      const next = await this.merchants.nextKeyVersion(tx, id);
      const fingerprint = keyFingerprint(publicKeyPem);
      const dup = await this.merchants.keyVersionOf(tx, id, publicKeyPem);
      if (dup !== undefined) throw new InputError(`this key is already registered for ${clientId} as keyVersion ${dup}`);
      await this.merchants.insertKey(tx, id, next, publicKeyPem);
      await this.record(tx, 'MERCHANT_ADD_KEY', clientId, { keyVersion: next, fingerprint });
      return next;
    });
  }

  /** Ends a rotation: requests signed with that version are refused (KEY_NOT_FOUND). The last key cannot go. */
  async removeKey(clientId: string, keyVersion: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const id = await this.lockMerchant(tx, clientId);
      const keys = await this.merchants.keysOf(tx, id);
      const key = keys.find((k) => Number(k.key_version) === keyVersion);
      if (!key) throw new InputError(`${clientId} has no keyVersion ${keyVersion}`);
      if (keys.length === 1)
        throw new InputError(`keyVersion ${keyVersion} is ${clientId}'s only key: add its replacement first (add-key), or suspend the merchant`);
      await this.merchants.deleteKey(tx, id, keyVersion);
      await this.record(tx, 'MERCHANT_REMOVE_KEY', clientId, { keyVersion, fingerprint: keyFingerprint(key.public_key_pem) });
    });
  }

  async set(clientId: string, changes: MerchantChanges): Promise<MerchantView> {
    const fields = Object.entries(changes).filter(([, v]) => v !== undefined) as Array<[keyof MerchantChanges, unknown]>;
    if (fields.length === 0) throw new InputError('nothing to change: give --notify-url, --avs-policy, --auth-expiry-policy, --status or --name');
    await this.db.transaction(async (tx) => {
      const id = await this.lockMerchant(tx, clientId);
      const before = await this.merchants.fieldsOf(
        tx,
        id,
        fields.map(([k]) => k),
      );
      await this.merchants.updateFields(tx, id, fields);
      await this.record(tx, 'MERCHANT_UPDATE', clientId, { before, after: Object.fromEntries(fields) });
    });
    return this.show(clientId);
  }

  async list(): Promise<MerchantView[]> {
    return this.views();
  }

  async show(clientId: string): Promise<MerchantView> {
    const [view] = await this.views(clientId);
    if (!view) throw new InputError(`no merchant with client id ${clientId}`);
    return view;
  }

  private async views(clientId?: string): Promise<MerchantView[]> {
    return (await this.merchants.listWithKeys(clientId)).map(toView);
  }

  private async lockMerchant(tx: EntityManager, clientId: string): Promise<string> {
    const id = await this.merchants.lockByClientId(tx, clientId);
    if (!id) throw new InputError(`no merchant with client id ${clientId}`);
    return id;
  }

  private async record(tx: EntityManager, action: string, clientId: string, detail: Record<string, unknown>): Promise<void> {
    await this.audit.append({ actor: this.actor, action, target: clientId, outcome: 'SUCCESS', detail }, tx);
  }
}

function toView(r: MerchantListRow): MerchantView {
  const keys = r.keys.map((k) => ({ keyVersion: Number(k.v), fingerprint: keyFingerprint(k.pem), createdAt: new Date(k.at).toISOString() }));
  return {
    clientId: r.client_id,
    name: r.name,
    status: r.status,
    notifyUrl: r.notify_url,
    avsPolicy: r.avs_policy,
    authExpiryPolicy: r.auth_expiry_policy,
    createdAt: new Date(r.created_at).toISOString(),
    latestKeyVersion: Math.max(0, ...keys.map((k) => k.keyVersion)),
    keys,
  };
}
