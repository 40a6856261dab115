import 'reflect-metadata';

import { upstreamPayEnvelope } from '../../authorization/upstream-pay-request';
import { AntomError } from '../antom-error';
import { validateBody } from './common.dto';
import { PayRequestDto } from './pay.dto';

/** Antom lets every scalar travel as a string; its SDK models type env fields as strings (Go/Java) or ints. */
describe('Antom scalars in string or number form', () => {
  const pay = (env: Record<string, unknown>, goods: Record<string, unknown> = {}) => ({
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: 'PAY_1',
    order: {
      referenceOrderId: 'O1',
      orderDescription: 'd',
      orderAmount: { currency: 'EUR', value: '100' },
      goods: [{ goodsName: 'g', ...goods }],
      env,
    },
    paymentAmount: { currency: 'EUR', value: '100' },
    paymentMethod: { paymentMethodType: 'CARD' },
    paymentRedirectUrl: 'https://shop.example/return',
    env,
  });

  it('takes the Go/Java SDK env (strings) and the docs form ("-60", "true") and leaves the model types', async () => {
    const dto = await validateBody(
      PayRequestDto,
      pay(
        {
          colorDepth: '24',
          screenHeight: '800',
          screenWidth: '1280',
          timeZoneOffset: '-60',
          browserInfo: { javaEnabled: 'false', javaScriptEnabled: 'true' },
        },
        { goodsQuantity: 3 },
      ),
    );
    expect({ ...dto.env }).toMatchObject({ colorDepth: '24', screenHeight: '800', screenWidth: '1280', timeZoneOffset: -60 });
    expect({ ...dto.env!.browserInfo }).toEqual({ javaEnabled: false, javaScriptEnabled: true });
    expect(dto.order.goods![0].goodsQuantity).toBe('3');
  });

  it('takes numbers too (the seed, browsers) and still gives the model types', async () => {
    const dto = await validateBody(PayRequestDto, pay({ colorDepth: 48, screenHeight: 768, screenWidth: 1024, timeZoneOffset: 1 }));
    expect({ ...dto.env }).toMatchObject({ colorDepth: '48', screenHeight: '768', screenWidth: '1024', timeZoneOffset: 1 });
  });

  it.each([
    ['colorDepth', '24.5'],
    ['colorDepth', '0x18'],
    ['colorDepth', ' 24'],
    ['colorDepth', 24.5],
    ['colorDepth', true],
    ['screenWidth', '-1'],
    ['timeZoneOffset', '1.5'],
    ['timeZoneOffset', 'abc'],
    ['timeZoneOffset', ''],
    ['timeZoneOffset', 1.5],
  ])('refuses env.%s = %j naming it', async (field, value) => {
    const err = await validateBody(PayRequestDto, pay({ [field]: value })).catch((e) => e);
    expect(err).toBeInstanceOf(AntomError);
    expect((err as AntomError).message).toBe(`Illegal parameter order.env.${field}: must be an integer, as a number or a string.`);
  });

  it("sends env upstream typed as Antom's Env model, whatever form it was stored in (vault buyer env has numbers)", () => {
    const req = {
      ...pay({}),
      env: {
        colorDepth: 24,
        screenHeight: 800,
        screenWidth: 1280,
        timeZoneOffset: '-540',
        browserInfo: { javaEnabled: 'true', language: 'de' },
        clientIp: '1.2.3.4',
      },
    };
    const up = upstreamPayEnvelope(req as never, 'P1', 'http://gw/antom/notify', { metaOverrides: {}, brand: 'VISA' } as never, {
      paymentMethodType: 'CARD',
    });
    expect(up.env).toEqual({
      colorDepth: '24',
      screenHeight: '800',
      screenWidth: '1280',
      timeZoneOffset: -540,
      browserInfo: { javaEnabled: true, language: 'de' },
      clientIp: '1.2.3.4',
    });
  });
});
