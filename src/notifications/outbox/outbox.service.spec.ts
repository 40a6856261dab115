import { mock } from 'jest-mock-extended';

import { Queryable } from '../../platform/database/prepared';
import { OutboundNotification, OutboundVaultingNotification } from './outbound-notification';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

describe('OutboxService', () => {
  const tx = mock<Queryable>();
  const setup = () => {
    const notices = mock<OutboxRepository>();
    return { notices, outbox: new OutboxService(notices) };
  };
  const notice: OutboundNotification = {
    merchantId: 'm-1',
    paymentId: 'p-1',
    notifyType: 'PAYMENT_RESULT',
    dedupeKey: 'p-1:S',
    url: 'https://shop.example/notify',
    payload: {},
  };
  const vaulting = (url: string | null): OutboundVaultingNotification => ({
    merchantId: 'm-1',
    vaultingId: 'v-1',
    dedupeKey: 'vaulting:v-1:SUCCESS',
    url,
    payload: { vaultingRequestId: 'vr-1' },
  });

  it("enqueues a notice in the caller's transaction", async () => {
    const { notices, outbox } = setup();
    await outbox.enqueue(tx, notice);
    expect(notices.enqueue).toHaveBeenCalledWith(tx, notice);
  });

  it.each([true, false])('passes on whether a held notice was released (%s)', async (released) => {
    const { notices, outbox } = setup();
    notices.releaseHeld.mockResolvedValue(released);
    await expect(outbox.releaseHeld(tx, notice)).resolves.toBe(released);
  });

  it("rewrites a pending notice's body", async () => {
    const { notices, outbox } = setup();
    await outbox.rewritePending(tx, notice);
    expect(notices.rewritePending).toHaveBeenCalledWith(tx, notice);
  });

  it('enqueues a vaulting notice when it has a URL', async () => {
    const { notices, outbox } = setup();
    const n = vaulting('https://shop.example/notify');
    await outbox.enqueueVaulting(tx, n);
    expect(notices.enqueueVaulting).toHaveBeenCalledWith(tx, n);
  });

  it.each<string | null>([null, ''])('writes nothing for a vaulting without a notify URL (%j)', async (url) => {
    const { notices, outbox } = setup();
    await outbox.enqueueVaulting(tx, vaulting(url));
    expect(notices.enqueueVaulting).not.toHaveBeenCalled();
  });

  it.each([true, false])('retryNow answers whether a notice was made due (%s), naming who asked', async (made) => {
    const { notices, outbox } = setup();
    notices.retryNow.mockResolvedValue(made);
    await expect(outbox.retryNow(tx, 'p-1', 'n-1', 'operator:alice')).resolves.toBe(made);
    expect(notices.retryNow).toHaveBeenCalledWith(tx, 'p-1', 'n-1', 'operator:alice');
  });
});
