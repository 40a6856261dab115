import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SEED = path.resolve(__dirname, '../fixtures/antom/seed-examples');

export function seedExample(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(SEED, name), 'utf8'));
}

/** The seed's server-to-server pay request with a fresh paymentRequestId and optional card/amount changes. */
export function s2sPay(
  overrides: {
    notifyUrl?: string;
    cardNo?: string;
    cvv?: string;
    value?: string;
    currency?: string;
    captureMode?: 'AUTOMATIC' | 'MANUAL';
    expiryYear?: string;
  } = {},
) {
  const req = seedExample('pay-server-to-server.json');
  req.paymentRequestId = `PAY_${randomUUID()}`;
  // The seed's notify URL is a real public host: tests never send traffic off this machine.
  if (overrides.notifyUrl) req.paymentNotifyUrl = overrides.notifyUrl;
  else delete req.paymentNotifyUrl;
  req.paymentRedirectUrl = 'http://127.0.0.1:9/merchant/return';
  const meta = req.paymentMethod.paymentMethodMetaData;
  if (overrides.cardNo) meta.cardNo = overrides.cardNo;
  if (overrides.cvv) meta.cvv = overrides.cvv;
  if (overrides.expiryYear) meta.expiryYear = overrides.expiryYear;
  if (overrides.value) {
    req.paymentAmount.value = overrides.value;
    req.order.orderAmount.value = overrides.value;
  }
  if (overrides.currency) {
    req.paymentAmount.currency = overrides.currency;
    req.order.orderAmount.currency = overrides.currency;
  }
  if (overrides.captureMode) req.paymentFactor.captureMode = overrides.captureMode;
  return req;
}
