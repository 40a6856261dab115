import { originForm } from './origin-form';

describe('originForm', () => {
  it('keeps an origin-form target', () => {
    expect(originForm('/ams/api/v1/payments/pay')).toBe('/ams/api/v1/payments/pay');
    expect(originForm('/v1/payments/pay?x=1')).toBe('/v1/payments/pay?x=1');
  });

  it('reduces the absolute-form (Python SDK) to path and query', () => {
    expect(originForm('https://open-sea-global.alipay.com/ams/api/v1/payments/pay')).toBe('/ams/api/v1/payments/pay');
    expect(originForm('http://127.0.0.1:8080/ams/sandbox/api/v1/payments/inquiryPayment?a=b')).toBe(
      '/ams/sandbox/api/v1/payments/inquiryPayment?a=b',
    );
    expect(originForm('HTTP://user@host:1/v1/payments/cancel')).toBe('/v1/payments/cancel');
    expect(originForm('http://host')).toBe('/');
    expect(originForm('http://host?q')).toBe('/?q');
  });

  it('leaves anything else alone (it matches no route)', () => {
    expect(originForm('*')).toBe('*');
    expect(originForm('ams/api/v1/payments/pay')).toBe('ams/api/v1/payments/pay');
  });
});
