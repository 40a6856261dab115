import { mock } from 'jest-mock-extended';

import { anAdminPaymentRow, UUID } from '../admin.fakes';
import { AdminPaymentRow, AdminPaymentsRepository, CurrencySumRow } from './admin-payments.repository';
import { AdminPaymentsService, PAGE_SIZE } from './admin-payments.service';
import { decodeCursor } from './payment-cursor';
import { PaymentFilters } from './payment-filters';

const FILTERS: PaymentFilters = { raw: {}, statuses: [], sort: 'newest', errors: [], cardNumberRefused: false };
const rows = (n: number) => Array.from({ length: n }, (_, i) => anAdminPaymentRow({ payment_id: `gwp_${i + 1}` }));

function setup() {
  const repo = mock<AdminPaymentsRepository>();
  return { repo, service: new AdminPaymentsService(repo) };
}

async function one(row: Partial<AdminPaymentRow>) {
  const { repo, service } = setup();
  repo.byPaymentId.mockResolvedValue(anAdminPaymentRow(row));
  return (await service.findByPaymentId('gwp_1'))!;
}

describe('AdminPaymentsService', () => {
  describe('list', () => {
    const NONE = { count: 0, capped: false, estimate: null, sums: [] };

    it('asks for one page of 50 by keyset and hands the page links on as cursors', async () => {
      const { repo, service } = setup();
      const next = { seg: 'all', values: ['2026-03-01 10:00:00.123456+00', UUID.payment] };
      repo.page.mockResolvedValue({ rows: rows(PAGE_SIZE), next, prev: null });
      repo.totals.mockResolvedValue(NONE);
      const out = await service.list(FILTERS);
      expect(repo.page).toHaveBeenCalledWith(FILTERS, 50);
      expect(out.rows).toHaveLength(50);
      expect(out.pager.prev).toBeNull();
      expect(decodeCursor(out.pager.next!)).toEqual(next);
    });

    it('totals per currency, never added across currencies; bigint sums beyond 2^53', async () => {
      const { repo, service } = setup();
      const sums: CurrencySumRow[] = [
        { currency: 'EUR', n: 3, amount: '9007199254740993', captured: '100', refunded: '0' },
        { currency: 'JPY ', n: '2' as unknown as number, amount: '5000', captured: '5000', refunded: '1' },
      ];
      repo.page.mockResolvedValue({ rows: [], next: null, prev: null });
      repo.totals.mockResolvedValue({ count: 5, capped: false, estimate: null, sums });
      expect((await service.list(FILTERS)).totals).toEqual({
        count: 5,
        capped: false,
        estimate: null,
        byCurrency: [
          { currency: 'EUR', count: 3, amount: 9_007_199_254_740_993n, captured: 100n, refunded: 0n },
          { currency: 'JPY', count: 2, amount: 5_000n, captured: 5_000n, refunded: 1n },
        ],
      });
    });

    it('past the count cap: "10,000+" with no per-currency totals, and the estimate when there is one', async () => {
      const { repo, service } = setup();
      repo.page.mockResolvedValue({ rows: rows(PAGE_SIZE), next: null, prev: null });
      repo.totals.mockResolvedValue({ count: 10_000, capped: true, estimate: 1_000_000, sums: [] });
      expect((await service.list(FILTERS)).totals).toEqual({ count: 10_000, capped: true, estimate: 1_000_000, byCurrency: [] });
    });

    it('nothing matches: no rows, no links, a zero count', async () => {
      const { repo, service } = setup();
      repo.page.mockResolvedValue({ rows: [], next: null, prev: null });
      repo.totals.mockResolvedValue(NONE);
      expect(await service.list(FILTERS)).toEqual({
        rows: [],
        pager: { next: null, prev: null },
        totals: { count: 0, capped: false, estimate: null, byCurrency: [] },
      });
    });
  });

  describe('what can still be captured or refunded', () => {
    it('authorized, partly captured, with a capture waiting for approval: the rest of the authorization less what waits', async () => {
      const p = await one({
        status: 'PARTIALLY_CAPTURED',
        authorized_amount: '10000',
        captured_amount: '3000',
        refunded_amount: '500',
        pending: { capture: '2000', refund: '1000' },
      });
      expect(p).toMatchObject({ capturable: 5_000n, pendingCapture: 2_000n, capturedAmount: 3_000n, refundable: 1_500n, pendingRefund: 1_000n });
    });

    it('never below zero when waiting requests exceed what is left', async () => {
      const p = await one({ status: 'AUTHORIZED', authorized_amount: '10000', captured_amount: '0', pending: { capture: '12000', refund: '1' } });
      expect([p.capturable, p.refundable]).toEqual([0n, 0n]);
    });

    it.each(['CAPTURED', 'CANCELLED', 'EXPIRED', 'UNKNOWN'])('%s: nothing to capture', async (status) => {
      expect((await one({ status, authorized_amount: '10000', captured_amount: '0' })).capturable).toBe(0n);
    });

    it('automatic capture (SUCCEEDED): the authorized amount counts as captured, and is refundable', async () => {
      const p = await one({
        status: 'SUCCEEDED',
        capture_mode: 'AUTOMATIC',
        authorized_amount: '10000',
        captured_amount: '0',
        refunded_amount: '2500',
      });
      expect(p).toMatchObject({ capturedAmount: 10_000n, capturable: 0n, refundable: 7_500n, refundedAmount: 2_500n });
    });

    it('the dispute standing for the list badge: a chargeback over an open dispute, a won dispute none', async () => {
      expect((await one({ disputes: null })).dispute).toBeNull();
      expect((await one({ disputes: [{ disputeId: 'd1', status: 'WON' }] })).dispute).toBeNull();
      expect((await one({ disputes: [{ disputeId: 'd1', status: 'OPEN' }] })).dispute).toEqual({ kind: 'disputed', disputeId: 'd1', status: 'OPEN' });
      expect(
        (
          await one({
            disputes: [
              { disputeId: 'd1', status: 'OPEN' },
              { disputeId: 'd2', status: 'LOST' },
            ],
          })
        ).dispute,
      ).toEqual({ kind: 'charged-back', disputeId: 'd2', status: 'LOST' });
    });

    it('no pending object: nothing waiting', async () => {
      expect(await one({ pending: null })).toMatchObject({ pendingCapture: 0n, pendingRefund: 0n, capturable: 10_000n });
    });

    it('amounts beyond 2^53 stay exact', async () => {
      const p = await one({ amount: '9007199254740993', authorized_amount: '9007199254740993', captured_amount: '1' });
      expect([p.amount, p.capturable]).toEqual([9_007_199_254_740_993n, 9_007_199_254_740_992n]);
    });

    it('times become Date (or null); the masked card only', async () => {
      const p = await one({
        auth_expiry_time: '2026-03-08T10:00:00Z' as unknown as Date,
        payment_time: null,
        created_at: '2026-03-01T10:00:00Z' as unknown as Date,
      });
      expect([p.authExpiryTime, p.paymentTime, p.createdAt]).toEqual([new Date('2026-03-08T10:00:00Z'), null, new Date('2026-03-01T10:00:00Z')]);
      expect([p.cardBin, p.cardLast4, p.cardBrand]).toEqual(['411111', '1111', 'VISA']);
    });
  });

  describe('allMatching (CSV export)', () => {
    afterEach(() => jest.useRealTimers());

    it('every batch in order, of the payments made up to the moment the export began', async () => {
      jest.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
      const { repo, service } = setup();
      repo.batches.mockImplementation(async function* () {
        yield rows(2);
        yield [anAdminPaymentRow({ payment_id: 'gwp_3' })];
      });
      const seen: string[] = [];
      for await (const p of service.allMatching(FILTERS, 2)) seen.push(p.paymentId);
      expect(seen).toEqual(['gwp_1', 'gwp_2', 'gwp_3']);
      expect(repo.batches).toHaveBeenCalledWith(FILTERS, new Date('2026-03-01T12:00:00Z'), 2);
    });

    it('batches of 500 by default', async () => {
      const { repo, service } = setup();
      repo.batches.mockImplementation(async function* () {
        /* nothing */
      });
      for await (const _ of service.allMatching(FILTERS)) throw new Error('nothing expected');
      expect(repo.batches.mock.calls[0][2]).toBe(500);
    });
  });

  describe('lookups', () => {
    it('findByPaymentId: null when missing', async () => {
      const { repo, service } = setup();
      repo.byPaymentId.mockResolvedValue(undefined);
      expect(await service.findByPaymentId('gwp_x')).toBeNull();
    });

    it('findManyByPaymentId: no query for none; mapped otherwise', async () => {
      const { repo, service } = setup();
      expect(await service.findManyByPaymentId([])).toEqual([]);
      expect(repo.byPaymentIds).not.toHaveBeenCalled();
      repo.byPaymentIds.mockResolvedValue(rows(2));
      expect((await service.findManyByPaymentId(['gwp_1', 'gwp_2'])).map((p) => p.paymentId)).toEqual(['gwp_1', 'gwp_2']);
    });

    it('timeline: amounts as bigint or null, times as Date', async () => {
      const { repo, service } = setup();
      repo.events.mockResolvedValue([
        {
          id: '1',
          type: 'AUTHORIZED',
          from_status: null,
          to_status: 'AUTHORIZED',
          amount: '10000',
          detail: null,
          created_at: new Date('2026-03-01T10:00:00Z'),
        },
        {
          id: '2',
          type: 'NOTE',
          from_status: 'AUTHORIZED',
          to_status: 'AUTHORIZED',
          amount: null,
          detail: { note: 'x' },
          created_at: '2026-03-01T10:01:00Z' as unknown as Date,
        },
      ]);
      expect(await service.timeline(UUID.payment)).toEqual([
        {
          id: '1',
          type: 'AUTHORIZED',
          fromStatus: null,
          toStatus: 'AUTHORIZED',
          amount: 10_000n,
          detail: null,
          createdAt: new Date('2026-03-01T10:00:00Z'),
        },
        {
          id: '2',
          type: 'NOTE',
          fromStatus: 'AUTHORIZED',
          toStatus: 'AUTHORIZED',
          amount: null,
          detail: { note: 'x' },
          createdAt: new Date('2026-03-01T10:01:00Z'),
        },
      ]);
      expect(repo.events).toHaveBeenCalledWith(UUID.payment);
    });

    it('operations: captures and refunds apart, amounts as bigint, unfinished ones without a time', async () => {
      const { repo, service } = setup();
      const op = {
        id: 'cap_1',
        request_id: 'r1',
        amount: '2500',
        status: 'SUCCEEDED',
        upstream_id: 'up',
        result_code: 'SUCCESS',
        result_message: 'ok',
        reason: null,
        done_at: new Date('2026-03-01T11:00:00Z'),
        created_at: new Date('2026-03-01T10:59:00Z'),
        is_last: true,
        automatic: false,
      };
      repo.operations.mockResolvedValue({
        captures: [op],
        refunds: [{ ...op, id: 'ref_1', reason: 'damaged', done_at: null, is_last: false, status: 'PROCESSING' }],
      });
      const { captures, refunds } = await service.operations(UUID.payment);
      expect(captures).toEqual([
        {
          id: 'cap_1',
          requestId: 'r1',
          amount: 2_500n,
          status: 'SUCCEEDED',
          upstreamId: 'up',
          resultCode: 'SUCCESS',
          resultMessage: 'ok',
          reason: null,
          doneAt: new Date('2026-03-01T11:00:00Z'),
          createdAt: new Date('2026-03-01T10:59:00Z'),
          isLast: true,
          automatic: false,
        },
      ]);
      expect(refunds[0]).toMatchObject({ id: 'ref_1', reason: 'damaged', doneAt: null, status: 'PROCESSING' });
    });

    it('merchants: client id and name', async () => {
      const { repo, service } = setup();
      repo.merchants.mockResolvedValue([{ client_id: 'SHOP_1', name: 'Shop' }]);
      expect(await service.merchants()).toEqual([{ clientId: 'SHOP_1', name: 'Shop' }]);
    });
  });
});
