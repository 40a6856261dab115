import { randomUUID } from 'node:crypto';

import { generateRsaKeyPair, loadPrivateKey } from '../../src/antom/keys';
import { sign } from '../../src/antom/signature';
import { MerchantsService } from '../../src/merchants/merchants.service';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { AntomAnswer, MerchantClient } from '../support/merchant-client';
import { startTestStack, TestStack } from '../support/stack';

/**
 * Every official SDK writes `keyVersion` as a decimal string (default "1"). Only that selects a key;
 * and whatever is wrong with the caller's credentials, the answer is the same, so client ids and key
 * versions cannot be probed by someone who holds no merchant key.
 */
describe('merchant authentication: keyVersion and non-enumerable refusals', () => {
  let stack: TestStack;
  let client: MerchantClient;
  let privateKeyPem: string;

  beforeAll(async () => {
    stack = await startTestStack();
    const keys = generateRsaKeyPair();
    privateKeyPem = keys.privateKeyPem;
    const clientId = `SANDBOX_K${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
    await stack.app.get(MerchantsService).create(clientId, 'Key version merchant', keys.publicKeyPem);
    client = new MerchantClient(stack.gatewayUrl, clientId, keys.privateKeyPem, stack.app.get(GatewaySigningKey).publicKeyPem, 'gateway');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const path = '/ams/api/v1/payments/inquiryPayment';
  const body = () => JSON.stringify({ paymentRequestId: `PAY_${randomUUID()}` });

  /** Signed correctly with key 1; only the Signature header's keyVersion varies. */
  function withKeyVersion(keyVersion: string, o: { clientId?: string; key?: string } = {}): Promise<AntomAnswer> {
    const time = String(Date.now());
    const b = body();
    const clientId = o.clientId ?? client.clientId;
    const signature = sign({ path, clientId, time, body: b }, loadPrivateKey(o.key ?? privateKeyPem));
    return client.send(path, b, { time, clientId, signatureHeader: `algorithm=RSA256,keyVersion=${keyVersion},signature=${signature}` });
  }

  it('keyVersion "1" selects key 1 (control: the inquiry itself runs and finds nothing)', async () => {
    const res = await withKeyVersion('1');
    expect(res.signatureValid).toBe(true);
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' });
  });

  it.each(['1.0', '0x1', '+1', ' 1', '01', '1e0'])('keyVersion %j does not select key 1', async (v) => {
    const res = await withKeyVersion(v);
    expect(res.status).toBe(200);
    expect(res.signatureValid).toBe(true);
    expect(res.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
  });

  it('unknown client id, unknown key version and a bad signature get the very same result', async () => {
    const unknownClient = await withKeyVersion('1', { clientId: `SANDBOX_NOBODY${randomUUID().slice(0, 8).toUpperCase()}` });
    const unknownKey = await withKeyVersion('7');
    const badSignature = await withKeyVersion('1', { key: generateRsaKeyPair().privateKeyPem });
    for (const r of [unknownClient, unknownKey, badSignature]) {
      expect(r.status).toBe(200);
      expect(r.signatureValid).toBe(true);
    }
    expect(unknownClient.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    expect(unknownKey.body).toEqual(unknownClient.body);
    expect(badSignature.body).toEqual(unknownClient.body);
  });
});
