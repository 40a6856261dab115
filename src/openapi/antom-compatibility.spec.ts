import * as fs from 'node:fs';
import * as path from 'node:path';

import { MERCHANT_APIS } from './openapi-document';

/*
 * Every API of Antom's SDKs is either served by the gateway (MERCHANT_APIS, the OpenAPI document's list) or has a
 * row in docs/antom-compatibility.md's "Antom compatibility" table saying it is not offered and why (issue 25). The paths are those of
 * alipay/global-open-sdk-java 2.2.8 (commit 69add42caea2) `request/ams/{pay,vaults,dispute}/*.java`
 * (AntomPathConstants for the ones that use it); the other request folders by their path family.
 */
const SDK_APIS = [
  'payments/pay',
  'payments/inquiryPayment',
  'payments/capture',
  'payments/cancel',
  'payments/refund',
  'payments/inquiryRefund',
  'payments/updateAmount',
  'payments/getCardInfo',
  'payments/inquireInstallment',
  'payments/consult',
  'payments/createPaymentSession',
  'payments/retrievePaymentSession',
  'payments/fetchNonce',
  'payments/inquireExchangeRate',
  'payments/verifyAndCompletePayment',
  'payments/syncArrear',
  'payments/uploadInvoiceShippingFile',
  'payments/createDeviceCertificate',
  'payments/acceptDispute',
  'payments/supplyDefenseDocument',
  'payments/downloadDisputeEvidence',
  'vaults/createVaultingSession',
  'vaults/vaultPaymentMethod',
  'vaults/inquireVaulting',
  'vaults/inquireToken',
  'vaults/updateToken',
  'vaults/deleteToken',
  'vaults/fetchNonce',
];
const SDK_FAMILIES = [
  'subscriptions/*',
  'authorizations/*',
  'users/*',
  'funds/*',
  'accounts/*',
  'merchants/*',
  'customs/*',
  'risk/*',
  'payments/settle',
];

function compatibilityRows(): string[] {
  const readme = fs.readFileSync(path.join(__dirname, '../../docs/antom-compatibility.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Antom compatibility'));
  return section
    .slice(0, section.indexOf('\n## '))
    .split('\n')
    .filter((l) => l.startsWith('| '));
}

describe('docs/antom-compatibility.md "Antom compatibility": every SDK API served or said not offered, with why', () => {
  const rows = compatibilityRows();
  const served = new Set<string>(MERCHANT_APIS.map((a) => a.api));
  const notOffered = (name: string) => rows.find((r) => r.split('|')[1].includes(name) && /not offered, F `NO_INTERFACE_DEF`: \S/.test(r));

  it.each(SDK_APIS)('%s', (api) => {
    if (served.has(api)) return;
    const [family, name] = api.split('/');
    expect({ api, row: notOffered(family === 'vaults' ? api : name) }).toEqual({ api, row: expect.stringMatching(/not offered/) });
  });

  it.each(SDK_FAMILIES)('%s', (family) => {
    expect({ family, row: notOffered(family) }).toEqual({ family, row: expect.stringMatching(/not offered/) });
  });

  it('says what a merchant uses instead of createPaymentSession (the Element flow), and what Korean cards report', () => {
    expect(notOffered('createPaymentSession')).toEqual(expect.stringMatching(/hosted card page/));
    const korean = rows.find((r) => r.split('|')[1].includes('Korean cards'));
    expect(korean).toEqual(expect.stringMatching(/`VISA` or `MASTERCARD`[\s\S]*BIN table/));
  });
});
