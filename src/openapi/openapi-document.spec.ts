import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

import { seedExample } from '../../test/support/fixtures';
import { OpenApiSchemas } from '../../test/support/openapi-ajv';
import { containsCardNumber } from '../antom/pan-runs';
import { validateBody } from '../antom/requests/common.dto';
import { CaptureRequestDto, RefundRequestDto } from '../antom/requests/lifecycle.dto';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { MerchantApiModule } from '../merchant-api/merchant-api.module';
import { GatewaySigningKey } from '../platform/gateway-signing-key';
import { openApiJson } from './openapi.controller';
import { buildOpenApiDocument } from './openapi-document';

const doc = buildOpenApiDocument() as any;
const schemas = new OpenApiSchemas(doc);

/*
 * The controllers the merchant edge registers, as Nest gets them (MerchantApiModule.forRoot's own list), so a
 * new controller's routes fail this test until documented. A new API touches three places: its request DTO
 * (MERCHANT_APIS' `request`), its answer type (src/antom/wire, MERCHANT_ANSWERS) and its entry in MERCHANT_APIS.
 */
const merchantControllers = () => (MerchantApiModule.forRoot({} as GatewaySigningKey).controllers ?? []) as Function[];

/** `POST <path>` of every handler the merchant controllers register, read from Nest's own metadata. */
function registeredRoutes(): string[] {
  const out: string[] = [];
  for (const controller of merchantControllers() as Array<{ prototype: Record<string, unknown> }>) {
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[name as keyof typeof controller.prototype] as unknown as object;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (name === 'constructor' || paths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      for (const p of [paths].flat()) out.push(`${method} ${p}`);
    }
  }
  return out.sort();
}

const documented = () =>
  Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();

describe('the OpenAPI document', () => {
  it('lists every route the merchant controllers register, by its served path, and nothing else', () => {
    const routes = registeredRoutes();
    expect(routes.length).toBe(57); // 19 APIs × (/ams/api/v1, /ams/sandbox/api/v1, /v1)
    expect(routes).toContain('POST /ams/api/v1/payments/pay');
    expect(routes).toContain('POST /ams/sandbox/api/v1/payments/pay');
    expect(documented()).toEqual(routes);
  });

  it('has unique operationIds, resolvable refs, and compiles under Ajv 2020-12 strict mode', () => {
    const ids = Object.values(doc.paths).flatMap((item: any) => Object.values(item).map((op: any) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const text = JSON.stringify(doc);
    for (const [, kind, name] of text.matchAll(/"#\/components\/(\w+)\/([\w-]+)"/g)) expect(doc.components[kind]?.[name]).toBeDefined();
    for (const name of Object.keys(doc.components.schemas)) expect(() => schemas.validator(name)).not.toThrow();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.webhooks).sort()).toEqual([
      'notifyCapture',
      'notifyDispute',
      'notifyPayment',
      'notifyPaymentUpdateAmount',
      'notifyRefund',
      'notifyVaulting',
    ]);
  });

  it('holds no card number and no OpenAPI 3.0 leftovers', () => {
    const text = JSON.stringify(doc);
    expect(containsCardNumber(text)).toBe(false);
    expect(text).not.toContain('"nullable"');
    expect(text).not.toContain('"format":"url"');
  });

  it("says Antom's field types: amounts in minor units as strings, required fields as the DTOs require them", () => {
    const s = doc.components.schemas;
    expect(s.Amount.required).toEqual(['currency', 'value']);
    expect(s.Amount.properties.value.type[0]).toBe('string');
    expect(s.Amount.properties.currency.enum).toEqual(expect.arrayContaining(['EUR', 'JPY', 'KRW']));
    expect(s.AnswerAmount.properties.value).toEqual({ type: 'string' });
    expect(s.PayRequest.required).toEqual(
      expect.arrayContaining(['productCode', 'paymentRequestId', 'order', 'paymentAmount', 'paymentMethod', 'paymentRedirectUrl']),
    );
    expect(s.PayRequest.properties.order).toMatchObject({ $ref: '#/components/schemas/Order' });
    expect(s.Order.properties.goods.items).toMatchObject({ $ref: '#/components/schemas/Goods' });
    expect(s.Result.properties.resultStatus.enum).toEqual(['S', 'F', 'U']);
  });

  it('is served as one fixed body with a strong ETag', () => {
    const a = openApiJson();
    expect(a).toBe(openApiJson());
    expect(JSON.parse(a.body)).toEqual(doc);
    expect(a.etag).toMatch(/^"[\w-]{27}"$/);
  });
});

/*
 * The schema and the DTO must agree on what is acceptable: each body is judged by both (the schema
 * cannot see business checks such as Luhn or a card number in free text, so the cases stay structural).
 */
describe('the request schemas agree with the DTOs', () => {
  const pay = () => {
    const req = seedExample('pay-server-to-server.json');
    delete req.paymentMethod.paymentMethodMetaData; // card checks are the vault's, not the DTO's
    req.paymentMethod.paymentMethodId = 'tok_x';
    return req;
  };
  const capture = (extra: Record<string, unknown> = {}) => ({
    captureRequestId: 'c-1',
    paymentId: 'gwp_1',
    captureAmount: { currency: 'EUR', value: '100' },
    ...extra,
  });
  const cases: Array<[string, Function, string, () => unknown]> = [
    ['the seed pay request', PayRequestDto, 'PayRequest', pay],
    [
      'env numbers as the seed sends them (colorDepth 48)',
      PayRequestDto,
      'PayRequest',
      () => ({ ...pay(), env: { colorDepth: 48, screenHeight: '768', timeZoneOffset: '-480' } }),
    ],
    ["a boolean as Antom's docs write it", CaptureRequestDto, 'CaptureRequest', () => capture({ isLastCapture: 'true' })],
    ['an amount value as a JSON integer', CaptureRequestDto, 'CaptureRequest', () => capture({ captureAmount: { currency: 'EUR', value: 100 } })],
    [
      'goodsQuantity as a number',
      PayRequestDto,
      'PayRequest',
      () => {
        const r = pay();
        r.order.goods[0].goodsQuantity = 10;
        return r;
      },
    ],
    ['no captureAmount', CaptureRequestDto, 'CaptureRequest', () => ({ captureRequestId: 'c-1', paymentId: 'gwp_1' })],
    ['a decimal amount', CaptureRequestDto, 'CaptureRequest', () => capture({ captureAmount: { currency: 'EUR', value: '1.50' } })],
    ['a negative JSON amount', CaptureRequestDto, 'CaptureRequest', () => capture({ captureAmount: { currency: 'EUR', value: -1 } })],
    ['an unknown currency', CaptureRequestDto, 'CaptureRequest', () => capture({ captureAmount: { currency: 'EUX', value: '1' } })],
    ['a lower-case currency', CaptureRequestDto, 'CaptureRequest', () => capture({ captureAmount: { currency: 'eur', value: '1' } })],
    ['a boolean as "yes"', CaptureRequestDto, 'CaptureRequest', () => capture({ isLastCapture: 'yes' })],
    ['an empty captureRequestId', CaptureRequestDto, 'CaptureRequest', () => capture({ captureRequestId: '' })],
    ['a captureRequestId of 65 characters', CaptureRequestDto, 'CaptureRequest', () => capture({ captureRequestId: 'x'.repeat(65) })],
    [
      'a refused field (refundDetails)',
      RefundRequestDto,
      'RefundRequest',
      () => ({ refundRequestId: 'r', paymentId: 'p', refundAmount: { currency: 'EUR', value: '1' }, refundDetails: [{}] }),
    ],
    [
      'a refused field left empty',
      RefundRequestDto,
      'RefundRequest',
      () => ({ refundRequestId: 'r', paymentId: 'p', refundAmount: { currency: 'EUR', value: '1' }, refundDetails: '' }),
    ],
    [
      'isAsyncRefund as "yes"',
      RefundRequestDto,
      'RefundRequest',
      () => ({ refundRequestId: 'r', paymentId: 'p', refundAmount: { currency: 'EUR', value: '1' }, isAsyncRefund: 'yes' }),
    ],
    [
      'a notify URL that is not http(s)',
      RefundRequestDto,
      'RefundRequest',
      () => ({ refundRequestId: 'r', paymentId: 'p', refundAmount: { currency: 'EUR', value: '1' }, refundNotifyUrl: 'file:///etc/passwd' }),
    ],
    [
      'an HTTPS notify URL in capitals',
      RefundRequestDto,
      'RefundRequest',
      () => ({ refundRequestId: 'r', paymentId: 'p', refundAmount: { currency: 'EUR', value: '1' }, refundNotifyUrl: 'HTTPS://shop.example/n' }),
    ],
    ['an order that is an array', PayRequestDto, 'PayRequest', () => ({ ...pay(), order: [] })],
    ['paymentMethodType other than CARD', PayRequestDto, 'PayRequest', () => ({ ...pay(), paymentMethod: { paymentMethodType: 'WALLET' } })],
    ['a colorDepth of 1.5', PayRequestDto, 'PayRequest', () => ({ ...pay(), env: { colorDepth: 1.5 } })],
  ];

  it.each(cases)('%s', async (_what, dto, schema, body) => {
    const byDto = await validateBody(dto as never, body()).then(
      () => true,
      () => false,
    );
    const bySchema = schemas.problems(schema, body());
    expect({ accepted: bySchema === null, problems: bySchema }).toEqual({ accepted: byDto, problems: byDto ? null : expect.anything() });
  });
});
