// node examples/first-client.js — while `npm start` runs: the README's ten-line client.
const { AntomClient } = require('antom-client');
const m = require(require('node:path').join(__dirname, '..', '.data/dev/merchant.json')); // the demo merchant `npm start` created
const antom = new AntomClient({ baseUrl: m.baseUrl, clientId: m.clientId, privateKey: m.privateKey, serverPublicKey: m.gatewayPublicKey });
const eur = (value) => ({ currency: 'EUR', value }); // minor units, as a string: EUR 19.99
antom
  .pay({
    paymentRequestId: crypto.randomUUID(),
    paymentAmount: eur('1999'),
    paymentRedirectUrl: 'https://shop.example/return',
    order: { referenceOrderId: 'order-1', orderDescription: 'Test order', orderAmount: eur('1999') },
    paymentMethod: {
      paymentMethodType: 'CARD',
      paymentMethodMetaData: { cardNo: '4111111111111111', cvv: '123', expiryMonth: '12', expiryYear: '34' },
    },
  })
  .then((r) => {
    console.log(r.status, r.code, r.status === 'S' ? r.answer.paymentId : r.message);
    antom.close();
  });
