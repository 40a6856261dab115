import { randomUUID } from 'node:crypto';

import type { AntomClient, Notification, Result } from 'antom-client';

/*
 * A tiny checkout service, as a merchant writes it with the client: an order is authorized at checkout
 * (manual capture), captured when it ships, refunded on return. The payment's outcome is taken from the
 * notification (or an inquiry), never assumed from a U.
 */

export type OrderState = 'NEW' | 'AUTHORIZING' | 'AUTHORIZED' | 'DECLINED' | 'CAPTURED' | 'REFUNDED';

export interface Order {
  id: string;
  amount: { currency: string; value: string };
  state: OrderState;
  /** The idempotency id of the pay: kept with the order, so a retry after a crash reuses it. */
  paymentRequestId: string;
  paymentId?: string;
  declineCode?: string;
  /** Where to send the buyer while the pay is U PAYMENT_IN_PROCESS (the issuer's 3DS challenge). */
  buyerUrl?: string;
}

export interface Card {
  cardNo: string;
  cvv: string;
  expiryMonth: string;
  expiryYear: string;
  holder: string;
}

export class Shop {
  private readonly orders = new Map<string, Order>();

  constructor(private readonly antom: AntomClient) {}

  order(id: string): Order | undefined {
    return this.orders.get(id);
  }

  /** Checkout: authorizes the order's amount on the card. */
  async checkout(id: string, amount: Order['amount'], card: Card, paymentRequestId: string = randomUUID()): Promise<Order> {
    const order: Order = this.orders.get(id) ?? { id, amount, state: 'NEW', paymentRequestId };
    this.orders.set(id, order);
    order.state = 'AUTHORIZING';
    const result = await this.antom.pay({
      paymentRequestId: order.paymentRequestId,
      paymentAmount: amount,
      order: { referenceOrderId: id, orderDescription: `Order ${id}`, orderAmount: amount },
      paymentMethod: {
        paymentMethodType: 'CARD',
        paymentMethodMetaData: {
          cardNo: card.cardNo,
          cvv: card.cvv,
          expiryMonth: card.expiryMonth,
          expiryYear: card.expiryYear,
          cardholderName: { fullName: card.holder },
        },
      },
      paymentFactor: { isAuthorization: true, captureMode: 'MANUAL' },
      env: { terminalType: 'WEB', clientIp: '203.0.113.7' },
      paymentRedirectUrl: 'https://shop.example/return',
    });
    switch (result.status) {
      case 'S': {
        const paymentId: string = result.answer.paymentId; // a string on S: the answer's type narrows on status
        order.paymentId = paymentId;
        order.state = 'AUTHORIZED';
        break;
      }
      case 'F':
        order.state = 'DECLINED';
        order.declineCode = result.code;
        break;
      case 'U':
        // Not a failure: the notification or an inquiry settles it (or checkout again: same paymentRequestId).
        order.paymentId = result.answer?.paymentId;
        order.buyerUrl = result.answer?.normalUrl;
        break;
    }
    return order;
  }

  /** The order, authorized (so its paymentId is known); throws if it is not. */
  authorized(id: string): Order & { paymentId: string } {
    return this.must(id, 'AUTHORIZED');
  }

  /** What a PAYMENT_RESULT notification says of the order. */
  applyNotification(n: Notification): void {
    if (n.notifyType !== 'PAYMENT_RESULT') return;
    const order = [...this.orders.values()].find((o) => o.paymentRequestId === n.paymentRequestId);
    if (!order || order.state !== 'AUTHORIZING') return; // duplicates and late ones change nothing
    order.paymentId = n.paymentId;
    order.state = n.result.resultStatus === 'S' ? 'AUTHORIZED' : n.result.resultStatus === 'F' ? 'DECLINED' : order.state;
  }

  /** Shipping captures the whole amount. */
  async ship(id: string): Promise<Result<unknown>> {
    const order = this.must(id, 'AUTHORIZED');
    const r = await this.antom.capture({
      captureRequestId: `cap-${order.paymentRequestId}`,
      paymentId: order.paymentId,
      captureAmount: order.amount,
    });
    if (r.status === 'S') order.state = 'CAPTURED';
    return r;
  }

  async refund(id: string, value: string): Promise<Result<unknown>> {
    const order = this.must(id, 'CAPTURED');
    const r = await this.antom.refund({
      refundRequestId: `ref-${order.paymentRequestId}-${value}`,
      paymentId: order.paymentId,
      refundAmount: { currency: order.amount.currency, value },
    });
    if (r.status === 'S' && value === order.amount.value) order.state = 'REFUNDED';
    return r;
  }

  /** The payment as the gateway knows it now. */
  async paymentStatus(id: string): Promise<string | undefined> {
    const order = this.orders.get(id);
    if (!order) return undefined;
    const r = await this.antom.inquiryPayment({ paymentRequestId: order.paymentRequestId });
    return r.status === 'S' ? r.answer.paymentStatus : undefined;
  }

  private must(id: string, state: OrderState): Order & { paymentId: string } {
    const order = this.orders.get(id);
    if (!order || order.state !== state || !hasPaymentId(order)) throw new Error(`order ${id} is not ${state}`);
    return order;
  }
}

function hasPaymentId(order: Order): order is Order & { paymentId: string } {
  return !!order.paymentId;
}
