// node examples/first-pay.js — while `npm start` runs (Node 20, no dependencies): pay, inquire, capture, refund by hand.
const nodeCrypto = require('node:crypto');
const m = require(require('node:path').join(__dirname, '..', '.data/dev/merchant.json'));

async function call(api, body) {
  const uri = `/ams/api/v1/payments/${api}`,
    json = JSON.stringify(body),
    time = String(Date.now());
  const sign = (s) => encodeURIComponent(nodeCrypto.sign('RSA-SHA256', Buffer.from(s), m.privateKey).toString('base64'));
  const res = await fetch(m.baseUrl + uri, {
    method: 'POST',
    body: json,
    headers: {
      'Content-Type': 'application/json; charset=UTF-8',
      'Client-Id': m.clientId,
      'Request-Time': time,
      Signature: `algorithm=RSA256,keyVersion=1,signature=${sign(`POST ${uri}\n${m.clientId}.${time}.${json}`)}`,
    },
  });
  const text = await res.text(),
    sig = /signature=([^,]+)/.exec(res.headers.get('signature') ?? '')?.[1] ?? '';
  const signed = `POST ${uri}\n${res.headers.get('client-id')}.${res.headers.get('response-time')}.${text}`;
  if (!nodeCrypto.verify('RSA-SHA256', Buffer.from(signed), m.gatewayPublicKey, Buffer.from(decodeURIComponent(sig), 'base64')))
    throw new Error('unsigned answer');
  return JSON.parse(text);
}

(async () => {
  const eur = (value) => ({ currency: 'EUR', value }); // minor units, as a string: EUR 19.99
  const pay = await call('pay', {
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: nodeCrypto.randomUUID(),
    paymentAmount: eur('1999'),
    order: { referenceOrderId: 'order-1', orderDescription: 'Test order', orderAmount: eur('1999') },
    paymentMethod: {
      paymentMethodType: 'CARD',
      paymentMethodMetaData: {
        cardNo: '4111111111111111',
        cvv: '123',
        expiryMonth: '12',
        expiryYear: '34',
        cardholderName: { fullName: 'Jane Doe' },
      },
    },
    paymentFactor: { isAuthorization: true, captureMode: 'MANUAL' },
    env: { terminalType: 'WEB', clientIp: '203.0.113.7' },
    paymentRedirectUrl: 'https://shop.example/return',
  });
  console.log('pay', pay.result.resultStatus, pay.result.resultCode, pay.paymentId);
  const { paymentId } = pay;
  console.log('inquiry', (await call('inquiryPayment', { paymentId })).paymentStatus);
  console.log(
    'capture',
    (await call('capture', { captureRequestId: nodeCrypto.randomUUID(), paymentId, captureAmount: eur('1999') })).result.resultCode,
  );
  console.log('refund', (await call('refund', { refundRequestId: nodeCrypto.randomUUID(), paymentId, refundAmount: eur('500') })).result.resultCode);
})();
