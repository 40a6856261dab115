import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { InputError, keyFingerprint } from './merchant-input';

export type MerchantStatus = 'ACTIVE' | 'SUSPENDED';
export type AvsPolicy = 'ACCEPT' | 'REVIEW' | 'VOID';
export type AuthExpiryPolicy = 'CAPTURE' | 'VOID' | 'EXPIRE';

export interface NewMerchant {
  clientId: string;
  name: string;
  publicKeyPem: string;
  notifyUrl: string | null;
  avsPolicy: AvsPolicy;
  authExpiryPolicy: AuthExpiryPolicy;
}

export interface MerchantChanges {
  name?: string;
  notifyUrl?: string | null;
  avsPolicy?: AvsPolicy;
  authExpiryPolicy?: AuthExpiryPolicy;
  status?: MerchantStatus;
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

const COLUMNS = { name: 'name', notifyUrl: 'notify_url', avsPolicy: 'avs_policy', authExpiryPolicy: 'auth_expiry_policy', status: 'status' } as const;

/**
 * Merchant onboarding and maintenance outside the HTTP app (the `npm run merchant` CLI). Every change
 * appends its audit entry in the same transaction, so a change and its record commit together.
 * Running gateways cache a merchant for up to 30 s (MerchantsService), so a change reaches them within that.
 */
export class MerchantAdmin {
  private readonly audit: AuditService;

  constructor(private readonly db: DataSource, private readonly actor: string) {
    this.audit = new AuditService(db);
  }

  async add(m: NewMerchant): Promise<MerchantView> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO merchant (client_id, name, status, notify_url, avs_policy, auth_expiry_policy)
         VALUES ($1, $2, 'ACTIVE', $3, $4, $5) ON CONFLICT (client_id) DO NOTHING RETURNING id`,
        [m.clientId, m.name, m.notifyUrl, m.avsPolicy, m.authExpiryPolicy],
      );
      if (!row) throw new InputError(`merchant ${m.clientId} already exists (rotate its key with add-key, change it with set)`);
      await tx.query('INSERT INTO merchant_key (merchant_id, key_version, public_key_pem) VALUES ($1, 1, $2)', [row.id, m.publicKeyPem]);
      await this.record(tx, 'MERCHANT_ADD', m.clientId, {
        keyVersion: 1, fingerprint: keyFingerprint(m.publicKeyPem), notifyUrl: m.notifyUrl, avsPolicy: m.avsPolicy, authExpiryPolicy: m.authExpiryPolicy,
      });
    });
    return this.show(m.clientId);
  }

  /** Key rotation: the new key gets the next keyVersion and becomes the one used when a request names none. */
  async addKey(clientId: string, publicKeyPem: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const id = await this.lockMerchant(tx, clientId);
      const [{ next }] = await tx.query('SELECT COALESCE(MAX(key_version), 0) + 1 AS next FROM merchant_key WHERE merchant_id = $1', [id]);
      const fingerprint = keyFingerprint(publicKeyPem);
      const [dup] = await tx.query('SELECT key_version FROM merchant_key WHERE merchant_id = $1 AND public_key_pem = $2', [id, publicKeyPem]);
      if (dup) throw new InputError(`this key is already registered for ${clientId} as keyVersion ${dup.key_version}`);
      await tx.query('INSERT INTO merchant_key (merchant_id, key_version, public_key_pem) VALUES ($1, $2, $3)', [id, next, publicKeyPem]);
      await this.record(tx, 'MERCHANT_ADD_KEY', clientId, { keyVersion: next, fingerprint });
      return Number(next);
    });
  }

  /** Ends a rotation: requests signed with that version are refused (KEY_NOT_FOUND). The last key cannot go. */
  async removeKey(clientId: string, keyVersion: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const id = await this.lockMerchant(tx, clientId);
      const keys: Array<{ key_version: number; public_key_pem: string }> = await tx.query('SELECT key_version, public_key_pem FROM merchant_key WHERE merchant_id = $1', [id]);
      const key = keys.find((k) => Number(k.key_version) === keyVersion);
      if (!key) throw new InputError(`${clientId} has no keyVersion ${keyVersion}`);
      if (keys.length === 1) throw new InputError(`keyVersion ${keyVersion} is ${clientId}'s only key: add its replacement first (add-key), or suspend the merchant`);
      await tx.query('DELETE FROM merchant_key WHERE merchant_id = $1 AND key_version = $2', [id, keyVersion]);
      await this.record(tx, 'MERCHANT_REMOVE_KEY', clientId, { keyVersion, fingerprint: keyFingerprint(key.public_key_pem) });
    });
  }

  async set(clientId: string, changes: MerchantChanges): Promise<MerchantView> {
    const fields = Object.entries(changes).filter(([, v]) => v !== undefined) as Array<[keyof MerchantChanges, unknown]>;
    if (fields.length === 0) throw new InputError('nothing to change: give --notify-url, --avs-policy, --auth-expiry-policy, --status or --name');
    await this.db.transaction(async (tx) => {
      const id = await this.lockMerchant(tx, clientId);
      const [before] = await tx.query(`SELECT ${fields.map(([k]) => `${COLUMNS[k]} AS "${k}"`).join(', ')} FROM merchant WHERE id = $1`, [id]);
      const sets = fields.map(([k], i) => `${COLUMNS[k]} = $${i + 2}`).join(', ');
      await tx.query(`UPDATE merchant SET ${sets} WHERE id = $1`, [id, ...fields.map(([, v]) => v)]);
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
    const rows = await this.db.query(
      `SELECT m.client_id, m.name, m.status, m.notify_url, m.avs_policy, m.auth_expiry_policy, m.created_at,
              COALESCE(json_agg(json_build_object('v', k.key_version, 'pem', k.public_key_pem, 'at', k.created_at) ORDER BY k.key_version)
                FILTER (WHERE k.key_version IS NOT NULL), '[]') AS keys
         FROM merchant m LEFT JOIN merchant_key k ON k.merchant_id = m.id
        ${clientId ? 'WHERE m.client_id = $1' : ''}
        GROUP BY m.id ORDER BY m.created_at, m.client_id`,
      clientId ? [clientId] : [],
    );
    return rows.map(toView);
  }

  private async lockMerchant(tx: EntityManager, clientId: string): Promise<string> {
    const [row] = await tx.query('SELECT id FROM merchant WHERE client_id = $1 FOR UPDATE', [clientId]);
    if (!row) throw new InputError(`no merchant with client id ${clientId}`);
    return row.id;
  }

  private async record(tx: EntityManager, action: string, clientId: string, detail: Record<string, unknown>): Promise<void> {
    await this.audit.append({ actor: this.actor, action, target: clientId, outcome: 'SUCCESS', detail }, tx);
  }
}

function toView(r: any): MerchantView {
  const keys = (r.keys as Array<{ v: number; pem: string; at: string }>).map((k) => ({ keyVersion: Number(k.v), fingerprint: keyFingerprint(k.pem), createdAt: new Date(k.at).toISOString() }));
  return {
    clientId: r.client_id, name: r.name, status: r.status, notifyUrl: r.notify_url, avsPolicy: r.avs_policy, authExpiryPolicy: r.auth_expiry_policy,
    createdAt: new Date(r.created_at).toISOString(), latestKeyVersion: Math.max(0, ...keys.map((k) => k.keyVersion)), keys,
  };
}
