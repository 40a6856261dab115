import { mock } from 'jest-mock-extended';

import { AntomError } from '../antom/antom-error';
import { BinRow, BinTable } from '../card-features/bin-table';
import { CardInfoService } from './card-info.service';

const VISA = '4111111111111111';
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'answered';
  } catch (e) {
    return `${(e as AntomError).result.resultCode} ${(e as Error).message}`;
  }
};

describe('CardInfoService', () => {
  const setup = (row?: BinRow) => {
    const bins = mock<BinTable>();
    bins.lookup.mockReturnValue(row);
    return { bins, service: new CardInfoService(bins) };
  };

  describe('getCardInfo', () => {
    it("answers the BIN table's row for a card number, looked up by its 8-digit BIN", () => {
      const { bins, service } = setup({ bin: '41111111', brand: 'VISA', funding: 'CREDIT', cardCategory: 'CONSUMER', issuingCountry: 'DE' });
      expect(service.getCardInfo({ cardNo: VISA })).toEqual({
        result: expect.objectContaining({ resultStatus: 'S', resultCode: 'SUCCESS' }),
        cardBrand: 'VISA',
        issuingRegion: 'DE',
        funding: 'CREDIT',
        cardCategory: 'CONSUMER',
        supportInstallment: false,
      });
      expect(bins.lookup).toHaveBeenCalledWith('41111111');
    });

    it('answers by cardBin; without a row, the brand the digits tell and nothing else', () => {
      const { service } = setup(undefined);
      expect(service.getCardInfo({ cardBin: '555555' })).toEqual({ result: expect.anything(), cardBrand: 'MASTERCARD', supportInstallment: false });
    });

    it("names the co-brand when the table's brand differs from the digits'", () => {
      const { service } = setup({ bin: '411111', brand: 'CARTES_BANCAIRES' });
      expect(service.getCardInfo({ cardBin: '411111' })).toMatchObject({ cardBrand: 'CARTES_BANCAIRES', coBagedCardBrand: 'VISA' });
    });

    it("offers installments in the issuer's country when its plans take the brand", () => {
      const { service } = setup({ bin: '41111111', brand: 'VISA', issuingCountry: 'BR' });
      const r = service.getCardInfo({ cardNo: VISA });
      expect(r).toMatchObject({ supportInstallment: true, installment: { supportCardBrands: expect.arrayContaining([{ cardBrand: 'ELO' }]) } });
      const plans = (r.installment as { plans: Array<Record<string, unknown>> }).plans;
      expect(plans).toHaveLength(35);
      expect(plans[0]).toMatchObject({ installmentNum: '2', interval: 'MONTH', enabled: true });
    });

    it("paymentMethodRegion wins over the issuer's country; a region without plans offers none", () => {
      const { service } = setup({ bin: '41111111', brand: 'VISA', issuingCountry: 'BR' });
      expect(service.getCardInfo({ cardNo: VISA, paymentMethodRegion: 'MX' })).toMatchObject({ supportInstallment: true });
      expect(service.getCardInfo({ cardNo: VISA, paymentMethodRegion: 'FR' })).toMatchObject({ supportInstallment: false });
      expect(service.getCardInfo({ cardNo: VISA, paymentMethodRegion: 'FR' }).installment).toBeUndefined();
    });

    it("a brand the region's plans do not take gets none", () => {
      const { service } = setup({ bin: '411111', brand: 'JCB', issuingCountry: 'MX' });
      expect(service.getCardInfo({ cardBin: '411111' })).toMatchObject({ cardBrand: 'JCB', supportInstallment: false });
    });

    it('treats null fields as absent (as Antom reads optional fields)', () => {
      const { service } = setup(undefined);
      expect(service.getCardInfo({ cardNo: null as unknown as undefined, cardBin: '411111' })).toMatchObject({ cardBrand: 'VISA' });
    });

    it.each<[string, Record<string, string | undefined>, RegExp]>([
      ['both cardNo and cardBin', { cardNo: VISA, cardBin: '411111' }, /^PARAM_ILLEGAL .*cardNo or cardBin, not both/],
      ['neither', {}, /^PARAM_ILLEGAL .*cardBin: cardNo or cardBin is required/],
      ['a card number failing Luhn', { cardNo: '4111111111111112' }, /^INVALID_CARD_NUMBER Illegal parameter cardNo: not a valid card number\.$/],
      ['letters for a card number', { cardNo: '4111abcd11111111' }, /^INVALID_CARD_NUMBER/],
    ])('refuses %s', (_what, req, expected) => {
      const { service } = setup(undefined);
      expect(codeOf(() => service.getCardInfo(req))).toMatch(expected);
    });

    it('a BIN no supported scheme issues, and the table does not know, is CARD_NOT_SUPPORTED', () => {
      const { service } = setup(undefined);
      expect(codeOf(() => service.getCardInfo({ cardBin: '999999' }))).toMatch(/^CARD_NOT_SUPPORTED/);
    });

    it('a BIN the table knows is answered even when no scheme pattern matches it', () => {
      const { service } = setup({ bin: '999999', brand: 'LOCALNET', issuingCountry: 'KR' });
      expect(service.getCardInfo({ cardBin: '999999' })).toMatchObject({ cardBrand: 'LOCALNET', issuingRegion: 'KR' });
    });

    it('never echoes the card number', () => {
      const { service } = setup({ bin: '41111111', brand: 'VISA' });
      expect(JSON.stringify(service.getCardInfo({ cardNo: VISA }))).not.toContain(VISA);
    });
  });

  describe('inquireInstallment', () => {
    it("answers one bank holding every region's plans", () => {
      const { bins, service } = setup(undefined);
      const r = service.inquireInstallment() as {
        installmentBanks: { bankName: string; bankShortName: string; plans: Array<{ extendInfo: string }> };
      };
      expect(r.installmentBanks).toMatchObject({ bankName: 'All issuers', bankShortName: 'ALL' });
      const regions = new Set(r.installmentBanks.plans.map((p) => JSON.parse(p.extendInfo).paymentMethodRegion));
      expect([...regions].sort()).toEqual(['BR', 'CL', 'KR', 'MX', 'US']);
      expect(r.installmentBanks.plans).toHaveLength(5 * 35);
      expect(bins.lookup).not.toHaveBeenCalled();
    });
  });
});
