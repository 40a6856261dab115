import * as fs from 'node:fs';
import * as path from 'node:path';

import { FAULT_AMOUNTS, startTestGateway, TEST_CARDS, TestGateway } from 'antom-test-kit';

import { ARTIFACTS } from '../support/merchant-client';

/*
 * The test kit's controls, as a merchant's suite uses them: deterministic fault amounts, settleNow, complete3ds,
 * the test clock (auth expiry with the merchant's CAPTURE policy, then EXPIRED; a dispute deadline), keepLogs.
 * On the suites' PostgreSQL (one gateway for the file); the clock tests come last, as they move time for all.
 */
let gw: TestGateway;
const log = path.join(ARTIFACTS, 'logs', 'test-kit-controls.e2e-spec.ts.log');

beforeAll(async () => {
  gw = await startTestGateway({ databaseUrl: process.env.TEST_DATABASE_URL, logFile: log, authExpiryPolicy: 'CAPTURE' });
});
afterAll(async () => {
  await gw?.stop();
});

const eur = (value: string) => ({ currency: 'EUR', value });
const pay = (paymentRequestId: string, cardNo: string, value = '1234', captureMode: 'MANUAL' | 'AUTOMATIC' = 'MANUAL') =>
  gw.client.pay({
    paymentRequestId,
    paymentAmount: eur(value),
    order: { referenceOrderId: paymentRequestId, orderDescription: 'Kit controls', orderAmount: eur(value) },
    paymentMethod: {
      paymentMethodType: 'CARD',
      paymentMethodMetaData: { cardNo, cvv: '123', expiryMonth: '12', expiryYear: '34', cardholderName: { fullName: 'Jane Doe' } },
    },
    paymentFactor: { isAuthorization: true, captureMode },
    paymentRedirectUrl: 'https://shop.example/return',
  });

describe('FAULT_AMOUNTS', () => {
  // Each entry, five pays: the same first answer, the same notification, the same answer to a same-id retry.
  it.each(Object.entries(FAULT_AMOUNTS))(
    '%s (…%s) gives the same outcome five times out of five',
    async (name, amount) => {
      const ids = [0, 1, 2, 3, 4].map((i) => `fault-${name}-${i}`);
      const outcomes = await Promise.all(
        ids.map(async (id) => {
          const first = await pay(id, TEST_CARDS.VISA_SUCCESS, amount);
          const n = await gw.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: id }, 20_000);
          const retry = await pay(id, TEST_CARDS.VISA_SUCCESS, amount);
          const cancel = name === 'CANCEL_WINDOW_OVER' ? await gw.client.cancel({ paymentRequestId: id }) : null;
          return {
            first: `${first.status} ${first.code}`,
            paymentId: first.status === 'S' ? typeof first.answer.paymentId : 'none',
            notification: `${n.result.resultStatus} ${n.result.resultCode}`,
            retry: `${retry.status} ${retry.code}`,
            ...(cancel && { cancel: `${cancel.status} ${cancel.code}` }),
          };
        }),
      );
      expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBe(1);
      expect(outcomes[0]).toEqual(EXPECTED[name as keyof typeof FAULT_AMOUNTS]);
    },
    60_000,
  );
});

/** docs/client-and-kit.md's table, as measured. */
const EXPECTED: Record<keyof typeof FAULT_AMOUNTS, Record<string, string>> = {
  SLOW: { first: 'S SUCCESS', paymentId: 'string', notification: 'S SUCCESS', retry: 'S SUCCESS' },
  UPSTREAM_DROP: { first: 'S SUCCESS', paymentId: 'string', notification: 'S SUCCESS', retry: 'S SUCCESS' },
  UPSTREAM_UNKNOWN: { first: 'S SUCCESS', paymentId: 'string', notification: 'S SUCCESS', retry: 'S SUCCESS' },
  DUPLICATE_NOTIFICATIONS: { first: 'S SUCCESS', paymentId: 'string', notification: 'S SUCCESS', retry: 'S SUCCESS' },
  OUT_OF_ORDER_NOTIFICATIONS: { first: 'S SUCCESS', paymentId: 'string', notification: 'S SUCCESS', retry: 'S SUCCESS' },
  LATE_AUTHORIZATION: { first: 'U UNKNOWN_EXCEPTION', paymentId: 'none', notification: 'S SUCCESS', retry: 'S SUCCESS' },
  CANCEL_WINDOW_OVER: { first: 'S SUCCESS', paymentId: 'string', notification: 'S SUCCESS', retry: 'S SUCCESS', cancel: 'F CANCEL_WINDOW_EXCEED' },
};

describe('settleNow', () => {
  it('a U whose answers were all lost is S at once, and the notification follows', async () => {
    // The gateway's three sends processed, every answer lost; the acquirer's own notification held back
    // (OUT_OF_ORDER_NOTIFICATIONS: 3 s in the kit), which would otherwise settle it before the pay answers.
    await gw.sandbox.upstreamFault('drop', 'payments/pay', 3);
    const r = await pay('settle-drop', TEST_CARDS.VISA_SUCCESS, FAULT_AMOUNTS.OUT_OF_ORDER_NOTIFICATIONS);
    expect(r).toMatchObject({ status: 'U' });
    const standing = await gw.settle('settle-drop');
    expect(standing).toEqual([expect.objectContaining({ paymentRequestId: 'settle-drop', status: 'AUTHORIZED', resultStatus: 'S' })]);
    const n = await gw.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: 'settle-drop' });
    expect(n.result.resultStatus).toBe('S');
    expect((await gw.settleNow()).filter((p) => p.paymentRequestId === 'settle-drop')).toEqual([]); // nothing left to settle
  });

  it('one the acquirer never received stays U until the retry window is over, then F PROCESS_FAIL', async () => {
    await gw.sandbox.upstreamFault('http503', 'payments/pay', 3);
    const r = await pay('settle-never', TEST_CARDS.VISA_SUCCESS);
    expect(r.status).toBe('U');
    expect(await gw.settle('settle-never')).toEqual([expect.objectContaining({ resultStatus: 'U' })]);
    await gw.clock.advance({ minutes: 6 });
    expect(await gw.settle('settle-never')).toEqual([expect.objectContaining({ resultStatus: 'F', resultCode: 'PROCESS_FAIL' })]);
  });
});

describe('complete3ds', () => {
  it.each([
    ['approve', 'S', 'SUCCESS'],
    ['fail', 'F', 'USER_PAYMENT_VERIFICATION_FAILED'],
  ] as const)('%s: the challenge is answered without a browser, and the notification arrives', async (action, status, code) => {
    const id = `kit-3ds-${action}`;
    const r = await pay(id, TEST_CARDS.THREE_DS_CHALLENGE);
    expect(r).toMatchObject({ status: 'U', code: 'PAYMENT_IN_PROCESS' });
    await gw.complete3ds(id, action);
    const n = await gw.inbox.next({ type: 'PAYMENT_RESULT', paymentRequestId: id });
    expect(n.result).toMatchObject({ resultStatus: status, resultCode: code });
    if (action === 'approve') expect(n.paymentResultInfo?.threeDSResult?.eci).toEqual(expect.any(String));
    await expect(gw.complete3ds(id, action)).rejects.toThrow(/awaits no challenge/);
  });
});

describe('clock', () => {
  it('an authorization near its expiry is captured by the merchant’s CAPTURE policy; past it, EXPIRED', async () => {
    const near = await pay('clock-near', TEST_CARDS.VISA_SUCCESS);
    if (near.status !== 'S') throw new Error(`pay: ${near.status} ${near.code}`);
    // The sandbox's authorizations last 7 days; the policy acts within AUTH_EXPIRY_LEAD_SECONDS (1 h) of the end.
    await gw.clock.advance({ days: 7, minutes: -30 });
    const captured = await gw.inbox.next({ type: 'CAPTURE_RESULT', paymentId: near.answer.paymentId }, 20_000);
    expect(captured.result.resultStatus).toBe('S');

    const past = await pay('clock-past', TEST_CARDS.VISA_SUCCESS);
    if (past.status !== 'S') throw new Error(`pay: ${past.status} ${past.code}`);
    await gw.clock.advance({ days: 8 });
    const capture = await gw.client.capture({ captureRequestId: 'clock-past-capture', paymentId: past.answer.paymentId, captureAmount: eur('1234') });
    expect(capture).toMatchObject({ status: 'F', code: 'AUTH_EXPIRED' });
    expect(await gw.settle('clock-past')).toEqual([expect.objectContaining({ status: 'EXPIRED', resultStatus: 'S' })]);
  });

  it('a dispute deadline passes: the defence window closes, acceptDispute is F TIME_EXCEEDS_LIMIT', async () => {
    const r = await pay('clock-dispute', TEST_CARDS.DISPUTED, '2500', 'AUTOMATIC');
    if (r.status !== 'S') throw new Error(`pay: ${r.status} ${r.code}`);
    const paymentId = r.answer.paymentId;
    await gw.inbox.next({ type: 'PAYMENT_RESULT', paymentId });
    await gw.inbox.next({ type: 'CAPTURE_RESULT', paymentId });
    await gw.clock.advance({ minutes: 1 }); // DISPUTE_CREATED is due 5 s after the capture
    const created = await gw.inbox.next({ paymentId }, 20_000);
    expect(created).toMatchObject({ disputeNotificationType: 'DISPUTE_CREATED' });
    const disputeId = (created as { disputeId: string }).disputeId;
    await gw.clock.advance({ days: 8 });
    const accept = await gw.client.call('payments/acceptDispute', { disputeId });
    expect(accept).toMatchObject({ status: 'F', code: 'TIME_EXCEEDS_LIMIT' });
  });
});

describe('keepLogs', () => {
  it('stop() keeps the log outside the deleted directory and says where', async () => {
    const own = await startTestGateway({ databaseUrl: process.env.TEST_DATABASE_URL, keepLogs: true });
    const dataDir = own.dataDir;
    const { logFile } = await own.stop();
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(logFile).not.toBeNull();
    expect(fs.existsSync(logFile as string) && !(logFile as string).startsWith(dataDir)).toBe(true);
    fs.rmSync(logFile as string);
  });
});
