import { Inject, Injectable } from '@nestjs/common';

import { AntomError } from '../antom/antom-error';
import { GetCardInfoRequestDto } from '../antom/requests/card-info.dto';
import { antomResult } from '../antom/result-codes';
import { GetCardInfoAnswer, InquireInstallmentAnswer } from '../antom/wire';
import { BinTable } from '../card-features/bin-table';
import { installmentOffers, installmentRegion } from '../card-features/credit-pay-plan';
import { binOfCardNumber, brandsOfBin } from '../pci/card-collection/validation/card-bin';
import { compact, plansOf } from './installment-plans';

/**
 * getCardInfo and inquireInstallment, answered by the gateway from data it owns: the BIN table (brand,
 * funding, category, issuing country) and the installment rules that validate a pay's creditPayPlan.
 * Nothing goes upstream, nothing is stored.
 */
@Injectable()
export class CardInfoService {
  constructor(@Inject(BinTable) private readonly bins: BinTable) {}

  /** Antom's AlipayGetCardInfoResponse. */
  getCardInfo(req: GetCardInfoRequestDto): GetCardInfoAnswer {
    const { bin, brands } = this.binOf(req);
    const row = this.bins.lookup(bin);
    const brand = row?.brand ?? brands[0];
    if (!brand) throw new AntomError('CARD_NOT_SUPPORTED', 'No supported card scheme issues this BIN.');
    const coBrand = brands.find((b) => b !== brand);
    // The region an installment would be paid in: as a pay decides it (the region sent, else the issuer's country).
    const region = installmentRegion(req.paymentMethodRegion, row?.issuingCountry);
    const offer = region ? installmentOffers(region).find((o) => o.brands.includes(brand)) : undefined;
    return compact<GetCardInfoAnswer>({
      result: antomResult('SUCCESS'),
      cardBrand: brand,
      coBagedCardBrand: coBrand, // sic: the Java SDK model's name
      issuingRegion: row?.issuingCountry,
      funding: row?.funding,
      cardCategory: row?.cardCategory,
      supportInstallment: offer !== undefined,
      installment: offer ? { supportCardBrands: offer.brands.map((cardBrand) => ({ cardBrand })), plans: plansOf(offer) } : undefined,
    });
  }

  /** Antom's AlipayInquireInstallmentResponse: one InstallmentBank (the SDK's type) holding every offer. */
  inquireInstallment(): InquireInstallmentAnswer {
    return {
      result: antomResult('SUCCESS'),
      installmentBanks: {
        bankName: 'All issuers',
        bankShortName: 'ALL',
        plans: installmentOffers().flatMap(plansOf),
      },
    };
  }

  private binOf(req: GetCardInfoRequestDto): { bin: string; brands: string[] } {
    // null is absent, as Antom reads an optional field (class-validator's IsOptional lets it through).
    const cardNo = req.cardNo ?? undefined;
    const cardBin = req.cardBin ?? undefined;
    if (cardNo !== undefined && cardBin !== undefined)
      throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter cardNo: send cardNo or cardBin, not both.');
    if (cardNo !== undefined) {
      const r = binOfCardNumber(cardNo);
      if (!r.ok)
        throw new AntomError(
          r.code,
          r.code === 'INVALID_CARD_NUMBER' ? 'Illegal parameter cardNo: not a valid card number.' : 'No supported card scheme issues this card.',
        );
      return r;
    }
    if (cardBin !== undefined) return { bin: cardBin, brands: brandsOfBin(cardBin) };
    throw new AntomError('PARAM_ILLEGAL', 'Illegal parameter cardBin: cardNo or cardBin is required.');
  }
}
