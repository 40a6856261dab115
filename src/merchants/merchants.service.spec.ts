import { mock } from 'jest-mock-extended';
import { DataSource, EntityManager } from 'typeorm';

import { generateRsaKeyPair } from '../antom/keys';
import { Merchant, MerchantKey } from './merchant.entity';
import { MerchantsRepository } from './merchants.repository';
import { MerchantsService } from './merchants.service';

const T0 = new Date('2026-03-01T10:00:00Z').getTime();
let pem1: string;
let pem2: string;

beforeAll(() => {
  pem1 = generateRsaKeyPair().publicKeyPem;
  pem2 = generateRsaKeyPair().publicKeyPem;
});

function aMerchant(over: Partial<Merchant> = {}, keys: Array<[number, string]> = [[1, pem1]]): Merchant {
  return Object.assign(new Merchant(), {
    id: 'm-1',
    clientId: 'SHOP_1',
    name: 'Shop',
    status: 'ACTIVE',
    notifyUrl: 'https://shop.example/notify',
    authExpiryPolicy: 'VOID',
    avsPolicy: 'REVIEW',
    createdAt: new Date(T0),
    keys: keys.map(([keyVersion, publicKeyPem]) => Object.assign(new MerchantKey(), { merchantId: 'm-1', keyVersion, publicKeyPem })),
    ...over,
  });
}

function setup() {
  const db = mock<DataSource>();
  const repo = mock<MerchantsRepository>();
  const tx = mock<EntityManager>();
  db.transaction.mockImplementation((async (fn: (em: EntityManager) => Promise<unknown>) => fn(tx)) as never);
  return { db, repo, tx, service: new MerchantsService(db, repo) };
}

describe('MerchantsService', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  describe('findByClientId', () => {
    it('the merchant with its public keys parsed, per key version; the latest version is the highest', async () => {
      const { repo, service } = setup();
      repo.findByClientIdWithKeys.mockResolvedValue(
        aMerchant({}, [
          [1, pem1],
          [3, pem2],
        ]),
      );
      const m = (await service.findByClientId('SHOP_1'))!;
      expect(m).toMatchObject({
        id: 'm-1',
        clientId: 'SHOP_1',
        status: 'ACTIVE',
        notifyUrl: 'https://shop.example/notify',
        latestKeyVersion: 3,
        avsPolicy: 'REVIEW',
      });
      expect([...m.keys.keys()]).toEqual([1, 3]);
      expect(m.keys.get(3)!.type).toBe('public');
      expect(m.keys.get(1)!.export({ type: 'spki', format: 'pem' })).toBe(pem1);
    });

    it('no keys: latest version 0, nothing to verify with; no AVS policy reads as ACCEPT', async () => {
      const { repo, service } = setup();
      repo.findByClientIdWithKeys.mockResolvedValue(aMerchant({ avsPolicy: null as never }, []));
      expect(await service.findByClientId('SHOP_1')).toMatchObject({ latestKeyVersion: 0, keys: new Map(), avsPolicy: 'ACCEPT' });
    });

    it('kept 30 s: the same id within 29,999 ms is not read again; at 30,000 ms it is', async () => {
      const { repo, service } = setup();
      repo.findByClientIdWithKeys.mockResolvedValue(aMerchant());
      await service.findByClientId('SHOP_1');
      jest.setSystemTime(T0 + 29_999);
      await service.findByClientId('SHOP_1');
      expect(repo.findByClientIdWithKeys).toHaveBeenCalledTimes(1);
      jest.setSystemTime(T0 + 30_000);
      await service.findByClientId('SHOP_1');
      expect(repo.findByClientIdWithKeys).toHaveBeenCalledTimes(2);
    });

    it('an unknown id is not cached: each costs a query, none a cache slot', async () => {
      const { repo, service } = setup();
      repo.findByClientIdWithKeys.mockResolvedValue(null);
      expect(await service.findByClientId('NOPE')).toBeNull();
      expect(await service.findByClientId('NOPE')).toBeNull();
      expect(repo.findByClientIdWithKeys).toHaveBeenCalledTimes(2);
    });

    it('bounded at 10,000 merchants: the next one clears the cache', async () => {
      const { repo, service } = setup();
      repo.findByClientIdWithKeys.mockResolvedValue(aMerchant({}, [])); // no key to parse: the bound is what is measured
      for (let i = 0; i < 10_000; i++) await service.findByClientId(`M${i}`);
      await service.findByClientId('M0');
      expect(repo.findByClientIdWithKeys).toHaveBeenCalledTimes(10_000); // still cached
      await service.findByClientId('M10000'); // the 10,001st clears
      await service.findByClientId('M0');
      expect(repo.findByClientIdWithKeys).toHaveBeenCalledTimes(10_002);
    });
  });

  it('findById: read each time (no cache), null when missing', async () => {
    const { repo, service } = setup();
    repo.findByIdWithKeys
      .mockResolvedValueOnce(aMerchant())
      .mockResolvedValueOnce(aMerchant({ status: 'SUSPENDED' }))
      .mockResolvedValueOnce(null);
    expect((await service.findById('m-1'))!.status).toBe('ACTIVE');
    expect((await service.findById('m-1'))!.status).toBe('SUSPENDED');
    expect(await service.findById('m-x')).toBeNull();
  });

  it("avsPolicyOf: read in the caller's transaction; none stored reads as ACCEPT", async () => {
    const { repo, tx, service } = setup();
    repo.avsPolicyOf.mockResolvedValueOnce('VOID').mockResolvedValueOnce(undefined);
    expect(await service.avsPolicyOf(tx, 'm-1')).toBe('VOID');
    expect(repo.avsPolicyOf).toHaveBeenCalledWith(tx, 'm-1');
    expect(await service.avsPolicyOf(tx, 'm-1')).toBe('ACCEPT');
  });

  it("activeClientIdsStartingWith: the repository's answer", async () => {
    const { repo, service } = setup();
    repo.activeClientIdsStartingWith.mockResolvedValue(['DEMO_1']);
    expect(await service.activeClientIdsStartingWith('DEMO_')).toEqual(['DEMO_1']);
    expect(repo.activeClientIdsStartingWith).toHaveBeenCalledWith('DEMO_');
  });

  describe('create', () => {
    it('inserts the merchant with key version 1 in one transaction; no notify URL is null', async () => {
      const { repo, tx, db, service } = setup();
      const m = aMerchant({ notifyUrl: null });
      repo.insertWithFirstKey.mockResolvedValue(m);
      expect(await service.create('SHOP_1', 'Shop', pem1)).toBe(m);
      expect(db.transaction).toHaveBeenCalledTimes(1);
      expect(repo.insertWithFirstKey).toHaveBeenCalledWith(tx, 'SHOP_1', 'Shop', pem1, null);
    });

    it('drops that client id from the cache, so its new keys are read at once', async () => {
      const { repo, service } = setup();
      repo.findByClientIdWithKeys.mockResolvedValue(aMerchant());
      await service.findByClientId('SHOP_1');
      repo.insertWithFirstKey.mockResolvedValue(aMerchant());
      await service.create('SHOP_1', 'Shop', pem2, 'https://shop.example/n');
      expect(repo.insertWithFirstKey.mock.calls[0][4]).toBe('https://shop.example/n');
      await service.findByClientId('SHOP_1');
      expect(repo.findByClientIdWithKeys).toHaveBeenCalledTimes(2);
    });

    it('a failed insert passes its error on', async () => {
      const { repo, service } = setup();
      repo.insertWithFirstKey.mockRejectedValue(new Error('duplicate key value violates unique constraint'));
      await expect(service.create('SHOP_1', 'Shop', pem1)).rejects.toThrow('duplicate key');
    });
  });
});
