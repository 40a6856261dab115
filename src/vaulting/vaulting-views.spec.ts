import type { Vaulting } from './vaulting.repository';
import { inquiryAnswer, sessionAnswer, statusOf, vaultAnswer, vaultedCardDetail, vaultingNotice } from './vaulting-views';

const detail = vaultedCardDetail({
  cardToken: 'tok_x',
  cardBin: '41173478',
  lastFour: '6383',
  cardBrand: 'VISA',
  cardBrands: ['VISA'],
  onFile: true,
});
const base: Vaulting = {
  id: 'b6f8d6a2-0000-4000-8000-000000000001',
  merchantId: 'm',
  vaultingRequestId: 'V1',
  requestHash: 'h',
  source: 'SESSION',
  status: 'PROCESSING',
  sessionId: 'cs_abc',
  sessionExpiresAt: new Date(Date.now() + 60_000),
  paymentMethodDetail: null,
  notifyUrl: null,
  redirectUrl: null,
  createdAt: new Date('2026-12-02T08:00:00Z'),
  completedAt: null,
};
const URL = 'https://gw.example';

describe('vaulting answers', () => {
  it('masks the card as BIN-limited number, token and brand only', () => {
    expect(detail).toEqual({
      paymentMethodDetailType: 'CARD',
      paymentMethodType: 'CARD',
      card: { cardToken: 'tok_x', brand: 'VISA', bin: '41173478', lastFour: '6383', maskedCardNo: '4117********6383' },
    });
  });

  it('an open session is PROCESSING with its page; past its expiry it has failed and shows no page', () => {
    expect(inquiryAnswer(base, URL)).toMatchObject({ vaultingStatus: 'PROCESSING', normalUrl: `${URL}/collect/cs_abc` });
    expect(vaultAnswer(base, URL).result).toMatchObject({ resultStatus: 'U', resultCode: 'VERIFICATION_IN_PROCESS' });
    const expired = { ...base, sessionExpiresAt: new Date(Date.now() - 1) };
    expect(statusOf(expired)).toBe('FAIL');
    expect(inquiryAnswer(expired, URL)).toEqual({
      result: expect.objectContaining({ resultStatus: 'S' }),
      vaultingRequestId: 'V1',
      vaultingStatus: 'FAIL',
    });
    expect(vaultAnswer(expired, URL).result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_IS_CLOSED' });
  });

  it('a completed vaulting answers S with the card, and its notice carries the time it completed', () => {
    const done: Vaulting = { ...base, status: 'SUCCESS', paymentMethodDetail: detail, completedAt: new Date('2026-12-02T08:01:02.003Z') };
    expect(vaultAnswer(done, URL)).toEqual({
      result: expect.objectContaining({ resultStatus: 'S' }),
      vaultingRequestId: 'V1',
      paymentMethodDetail: detail,
    });
    expect(vaultingNotice(done)).toEqual({
      result: expect.objectContaining({ resultCode: 'SUCCESS' }),
      vaultingRequestId: 'V1',
      vaultingStatus: 'SUCCESS',
      paymentMethodDetail: detail,
      vaultingCreateTime: '2026-12-02T08:01:02.003+00:00',
    });
    expect(sessionAnswer(done, URL)).toMatchObject({ vaultingSessionData: 'cs_abc', vaultingSessionId: base.id, normalUrl: `${URL}/collect/cs_abc` });
  });
});
