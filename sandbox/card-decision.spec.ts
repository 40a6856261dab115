import { decideCard, masked } from './card-decision';
import { notifyFaultFor } from './faults';
import { SandboxError } from './sandbox-context';

const pay = (meta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  paymentMethod: { paymentMethodType: 'CARD', paymentMethodMetaData: { cvv: '123', expiryMonth: '12', expiryYear: '40', ...meta } },
  ...extra,
});

describe('sandbox card decisions (contract §7)', () => {
  it.each([
    ['4111111111111111', 'SUCCESS'],
    ['4000000000000002', 'DO_NOT_HONOR'],
    ['4000000000009995', 'USER_BALANCE_NOT_ENOUGH'],
    ['4000000000000127', 'INVALID_CVV'],
    ['4000000000004954', 'RISK_REJECT'],
    ['4000000000003220', 'PAYMENT_IN_PROCESS'],
    ['4000002760003184', 'AUTHENTICATION_REQUIRED'],
  ])('%s → %s', (cardNo, code) => {
    expect(decideCard(pay({ cardNo }), cardNo, 'sbx_0123456789abcdef0123').code).toBe(code);
  });

  it('steps 4000002760003184 up to a challenge when enableAuthenticationUpgrade is set', () => {
    const d = decideCard(pay({ cardNo: '4000002760003184', enableAuthenticationUpgrade: 'true' }), '4000002760003184', 'sbx_x');
    expect(d).toMatchObject({ code: 'PAYMENT_IN_PROCESS', pendingKind: 'THREE_DS' });
  });

  it("declines carry the issuer's refusal codes; approvals none, but the issuer facts", () => {
    expect(decideCard(pay({ cardNo: '4000000000000002' }), '4000000000000002', 'sbx_x').info).toMatchObject({
      refusalCodeRaw: '05',
      refusalReasonRaw: 'Do not honor',
      merchantAdviceCode: '02',
    });
    expect(decideCard(pay({ cardNo: '4111111111111111', expiryYear: '20' }), '4111111111111111', 'sbx_x').info).toMatchObject({
      refusalCodeRaw: '54',
      merchantAdviceCode: '01',
    });
    const ok = decideCard(pay({ cardNo: '4111111111111111' }), '4111111111111111', 'sbx_0123456789abcdef0123').info;
    expect(ok.refusalCodeRaw).toBeUndefined();
    expect(ok).toMatchObject({
      issuerName: 'SANDBOX VISA ISSUER',
      cardCategory: 'CONSUMER',
      credentialTypeUsed: 'PAN',
      rrn: expect.stringMatching(/^\d{12}$/),
    });
    // The RISK_REJECT decline is the acquirer's, not the issuer's: no refusal code.
    expect(decideCard(pay({ cardNo: '4000000000004954' }), '4000000000004954', 'sbx_x').info.refusalCodeRaw).toBeUndefined();
  });

  it('challenges 4000000000003238 and keeps its failing AVS for the result after the challenge', () => {
    const d = decideCard(pay({ cardNo: '4000000000003238', billingAddress: { region: 'US' } }), '4000000000003238', 'sbx_x');
    expect(d).toMatchObject({ code: 'PAYMENT_IN_PROCESS', pendingKind: 'THREE_DS', info: { avsResultRaw: 'N', cvvResultRaw: 'M' } });
  });

  it('returns AVS and CVV raw codes and only a masked card', () => {
    const d = decideCard(pay({ cardNo: '4000000000000028', billingAddress: { region: 'US' } }), '4000000000000028', 'sbx_x');
    expect(d.info).toMatchObject({ avsResultRaw: 'A', cvvResultRaw: 'M', cardNo: '4000********0028', cardBin: '40000000', lastFour: '0028' });
    expect(JSON.stringify(d.info)).not.toContain('4000000000000028');
    expect(masked('378282246310005')).toBe('378********0005');
  });

  it('declines a past expiry and honours co-badged brand choice', () => {
    expect(decideCard(pay({ cardNo: '4111111111111111', expiryYear: '20' }), '4111111111111111', 'sbx_x').code).toBe('INVALID_EXPIRATION_DATE');
    expect(decideCard(pay({ cardNo: '4000002500001001', selectedCardBrand: 'CARTES_BANCAIRES' }), '4000002500001001', 'sbx_x').info.cardBrand).toBe(
      'CARTES_BANCAIRES',
    );
    expect(decideCard(pay({ cardNo: '4000002500001001', selectedCardBrand: 'AMEX' }), '4000002500001001', 'sbx_x').code).toBe(
      'SELECTED_CARD_BRAND_NOT_AVAILABLE',
    );
  });

  it('Korean issuer authentication: pending with automatic capture, refused with MANUAL', () => {
    const kr = (captureMode: string) => pay({ cardNo: '4111111111111111', paymentMethodRegion: 'KR' }, { paymentFactor: { captureMode } });
    const withFlag = (b: ReturnType<typeof kr>) => ({ ...b, paymentMethod: { ...b.paymentMethod, requireIssuerAuthentication: true } });
    expect(decideCard(withFlag(kr('AUTOMATIC')), '4111111111111111', 'sbx_x')).toMatchObject({ code: 'PAYMENT_IN_PROCESS', pendingKind: 'ISSUER' });
    expect(() => decideCard(withFlag(kr('MANUAL')), '4111111111111111', 'sbx_x')).toThrow(SandboxError);
  });

  it('Korean card without issuer authentication: needs dateOfBirth or businessNo and cardPasswordDigest', () => {
    const kr = (meta: Record<string, unknown>) =>
      decideCard(pay({ cardNo: '4111111111111111', paymentMethodRegion: 'KR', ...meta }), '4111111111111111', 'sbx_x');
    expect(() => kr({})).toThrow(SandboxError);
    expect(() => kr({ dateOfBirth: '900101' })).toThrow(SandboxError);
    expect(kr({ dateOfBirth: '900101', cardPasswordDigest: '12' }).code).toBe('SUCCESS');
    expect(kr({ businessNo: '1234567890', cardPasswordDigest: '12' }).code).toBe('SUCCESS');
  });

  it('maps amount suffixes to notification faults only for 90007–90009', () => {
    expect(notifyFaultFor('190007')).toBe('DUPLICATE');
    expect(notifyFaultFor(90008)).toBe('OUT_OF_ORDER');
    expect(notifyFaultFor('90009')).toBe('BAD_SIGNATURE');
    expect(notifyFaultFor('90001')).toBeNull();
    expect(notifyFaultFor('30000')).toBeNull();
  });
});
