import 'reflect-metadata';

import { AntomError } from '../antom-error';
import { validateBody } from './common.dto';
import { CaptureRequestDto } from './lifecycle.dto';
import { PayRequestDto } from './pay.dto';

/** The PARAM_ILLEGAL message names the first bad field and what is wrong with it, as a merchant would fix it. */
describe('validateBody messages', () => {
  const pay = () => ({
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: 'PAY_1',
    order: { referenceOrderId: 'O1', orderDescription: 'd', orderAmount: { currency: 'EUR', value: '100' } },
    paymentAmount: { currency: 'EUR', value: '100' },
    paymentMethod: { paymentMethodType: 'CARD' },
    paymentRedirectUrl: 'https://shop.example/return',
  });

  async function messageOf(cls: new () => object, body: unknown): Promise<string> {
    try {
      await validateBody(cls, body);
    } catch (e) {
      expect(e).toBeInstanceOf(AntomError);
      expect((e as AntomError).result.resultCode).toBe('PARAM_ILLEGAL');
      return (e as AntomError).message;
    }
    throw new Error('accepted');
  }

  it('accepts a complete pay', async () => {
    await expect(validateBody(PayRequestDto, pay())).resolves.toBeInstanceOf(PayRequestDto);
  });

  it('paymentFactor.captureMode "" reads as absent (the seed: empty or absent means automatic capture); other values are refused', async () => {
    const dto = await validateBody(PayRequestDto, { ...pay(), paymentFactor: { isAuthorization: true, captureMode: '' } });
    expect(dto.paymentFactor?.captureMode).toBeUndefined();
    await expect(messageOf(PayRequestDto, { ...pay(), paymentFactor: { captureMode: 'LATER' } })).resolves.toMatch(
      /^Illegal parameter paymentFactor\.captureMode: /,
    );
  });

  it('calls an absent required field required, not too long', async () => {
    const { paymentRedirectUrl: _, ...body } = pay();
    expect(await messageOf(PayRequestDto, body)).toBe('Illegal parameter paymentRedirectUrl: is required.');
    expect(await messageOf(CaptureRequestDto, { captureRequestId: 'C1', captureAmount: { currency: 'EUR', value: '1' } })).toBe(
      'Illegal parameter paymentId: is required.',
    );
    expect(await messageOf(PayRequestDto, { ...pay(), order: { ...pay().order, referenceOrderId: null } })).toBe(
      'Illegal parameter order.referenceOrderId: is required.',
    );
  });

  it('names the wrong type before the length', async () => {
    expect(await messageOf(PayRequestDto, { ...pay(), paymentRequestId: 5 })).toBe('Illegal parameter paymentRequestId: must be a string.');
  });

  it('still names the length when that is what is wrong', async () => {
    expect(await messageOf(PayRequestDto, { ...pay(), paymentRequestId: 'x'.repeat(65) })).toBe(
      'Illegal parameter paymentRequestId: must be shorter than or equal to 64 characters.',
    );
  });
});
