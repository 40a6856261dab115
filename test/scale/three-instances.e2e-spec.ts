import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';

import { RunningSandbox, startSandbox } from '../../sandbox/sandbox-server';
import { generateRsaKeyPair, loadPrivateKey, loadPublicKey } from '../../src/antom/keys';
import { NOTIFY_ACK_BODY } from '../../src/antom/notify-ack';
import { createGatewayApp } from '../../src/bootstrap/gateway-app';
import { loadConfig } from '../../src/config/gateway-config';
import { MerchantsService } from '../../src/merchants/merchants.service';
import { FileKeyringSource } from '../../src/pci/vault/crypto/file-keyring-source';
import { Keyring } from '../../src/pci/vault/crypto/keyring';
import { GatewaySigningKey } from '../../src/platform/gateway-signing-key';
import { GatewayAddress } from '../../src/platform/http/gateway-address';
import { createLogger } from '../../src/platform/logging/logger';
import { s2sPay } from '../support/fixtures';
import { AntomAnswer, ARTIFACTS, MerchantClient } from '../support/merchant-client';

/**
 * Scale-out: three gateway instances on one database behind one acquirer, as `npm start` runs them with
 * DATABASE_URL + ANTOM_BASE_URL. Nothing may depend on process memory: duplicates spread across the
 * instances must reach the acquirer once and get one answer, and each merchant notification must be
 * delivered once although every instance runs the delivery worker.
 */
describe('three gateway instances on one database', () => {
  const INSTANCES = 3;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-scale-'));
  let sandbox: RunningSandbox;
  const apps: NestFastifyApplication[] = [];
  let merchants: MerchantClient[] = [];
  let db: DataSource;
  let sandboxClientId: string;
  let sink: http.Server;
  const delivered: string[] = [];
  let sinkUrl: string;

  beforeAll(async () => {
    sink = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        delivered.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end(NOTIFY_ACK_BODY);
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/notify`;

    const gatewayKeys = generateRsaKeyPair();
    const sandboxKeys = generateRsaKeyPair();
    sandboxClientId = `SANDBOX_SCALE${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
    sandbox = await startSandbox({
      port: 0,
      databaseUrl: process.env.TEST_DATABASE_URL!,
      privateKeyPem: sandboxKeys.privateKeyPem,
      clients: { [sandboxClientId]: gatewayKeys.publicKeyPem },
    });
    // Exactly what an operator sets for each instance: the shared database and the standalone acquirer.
    const configFor = () =>
      loadConfig(
        {},
        {
          DATABASE_URL: process.env.TEST_DATABASE_URL,
          PORT: '0',
          GATEWAY_DATA_DIR: dataDir,
          LOG_LEVEL: 'info',
          PRINT_BANNER: 'false',
          ANTOM_BASE_URL: sandbox.url,
          ANTOM_CLIENT_ID: sandboxClientId,
          ANTOM_PRIVATE_KEY: gatewayKeys.privateKeyPem,
          ANTOM_PUBLIC_KEY: sandboxKeys.publicKeyPem,
          WORKER_POLL_MS: '50',
        },
      );
    const logger = createLogger({ level: 'info', file: path.join(ARTIFACTS, 'logs', 'three-instances.e2e-spec.ts.log'), stdout: false });
    const upstream = {
      baseUrl: sandbox.url,
      clientId: sandboxClientId,
      privateKey: loadPrivateKey(gatewayKeys.privateKeyPem),
      acquirerPublicKey: loadPublicKey(sandboxKeys.publicKeyPem),
    };
    const start = async () => {
      const config = configFor();
      const app = await createGatewayApp({
        config,
        databaseUrl: config.DATABASE_URL!,
        logger,
        upstream,
        signingKey: GatewaySigningKey.load(config),
        keyring: new Keyring(new FileKeyringSource(path.join(dataDir, 'keys', 'keyring.json'))),
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      // Each instance gives the acquirer its own notify URL (its bound port), as GATEWAY_PUBLIC_URL does in production.
      app.get(GatewayAddress).bound(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`);
      return app;
    };
    // Instances may start together: migrations run once, under an advisory lock.
    apps.push(await start());
    apps.push(...(await Promise.all(Array.from({ length: INSTANCES - 1 }, start))));
    db = apps[0].get(DataSource);

    const keys = generateRsaKeyPair();
    const clientId = `SANDBOX_T${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
    await apps[0].get(MerchantsService).create(clientId, 'Scale merchant', keys.publicKeyPem);
    const gatewayPublicKey = apps[0].get(GatewaySigningKey).publicKeyPem;
    merchants = apps.map((app) => {
      const { port } = app.getHttpServer().address() as AddressInfo;
      return new MerchantClient(`http://127.0.0.1:${port}`, clientId, keys.privateKeyPem, gatewayPublicKey);
    });
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await sandbox?.close();
    sink?.close();
  });

  /** Sends `copies` of one request at once, round-robin over the instances. */
  const spread = (api: string, body: object, copies: number): Promise<AntomAnswer[]> =>
    Promise.all(Array.from({ length: copies }, (_, i) => merchants[i % INSTANCES].post(api, body)));

  const sandboxRows = async () => Number((await db.query(`SELECT count(*) AS n FROM sandbox.payment WHERE client_id = $1`, [sandboxClientId]))[0].n);

  it('the same pay sent 12 times at once across three instances: one authorization upstream, one answer', async () => {
    const req = s2sPay();
    req.paymentNotifyUrl = sinkUrl;
    const before = await sandboxRows();
    const answers = await spread('payments/pay', req, 12);

    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.signatureValid).toBe(true);
    }
    expect(answers[0].body.result.resultStatus).toBe('S');
    expect(new Set(answers.map((a) => a.body.paymentId)).size).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body.result))).size).toBe(1);
    expect(await sandboxRows()).toBe(before + 1);
    const rows = await db.query(`SELECT count(*) AS n FROM payment WHERE payment_request_id = $1`, [req.paymentRequestId]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('many different pays spread across the instances: each authorized once, each notification delivered once', async () => {
    const reqs = Array.from({ length: 9 }, () => Object.assign(s2sPay(), { paymentNotifyUrl: sinkUrl }));
    const before = await sandboxRows();
    // Each request twice, on two different instances.
    const answers = await Promise.all(
      reqs.flatMap((r, i) => [merchants[i % INSTANCES].post('payments/pay', r), merchants[(i + 1) % INSTANCES].post('payments/pay', r)]),
    );
    expect(answers.every((a) => a.body.result?.resultStatus === 'S')).toBe(true);
    expect(await sandboxRows()).toBe(before + reqs.length);

    const ids = new Set(answers.map((a) => a.body.paymentId as string));
    expect(ids.size).toBe(reqs.length);
    const deliveredFor = (id: string) =>
      delivered.filter((b) => b.includes('"notifyType":"PAYMENT_RESULT"') && b.includes(`"paymentId":"${id}"`)).length;
    const deadline = Date.now() + 20_000;
    while ([...ids].some((id) => deliveredFor(id) === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Give a second, wrongly unlocked delivery from another instance time to show up before counting.
    await new Promise((r) => setTimeout(r, 500));
    for (const id of ids) expect(deliveredFor(id)).toBe(1);
  });

  it('the same capture sent 9 times at once across three instances: one capture upstream, one answer', async () => {
    const pay = Object.assign(s2sPay({ captureMode: 'MANUAL' }), { paymentNotifyUrl: sinkUrl });
    const paid = await merchants[0].post('payments/pay', pay);
    expect(paid.body.result.resultStatus).toBe('S');
    const capture = {
      captureRequestId: `CAP_${pay.paymentRequestId}`,
      paymentId: paid.body.paymentId,
      captureAmount: pay.paymentAmount,
      isLastCapture: true,
    };
    const upstreamCaptures = async () =>
      Number((await db.query(`SELECT count(*) AS n FROM sandbox.capture WHERE client_id = $1`, [sandboxClientId]))[0].n);
    const before = await upstreamCaptures();
    const answers = await spread('payments/capture', capture, 9);

    for (const a of answers) expect(a.signatureValid).toBe(true);
    expect(new Set(answers.map((a) => a.body.captureId)).size).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body.result))).size).toBe(1);
    expect(answers[0].body.result.resultStatus).toBe('S');
    expect(await upstreamCaptures()).toBe(before + 1);
    const rows = await db.query(`SELECT count(*) AS n FROM capture WHERE capture_request_id = $1`, [capture.captureRequestId]);
    expect(Number(rows[0].n)).toBe(1);
  });
});
