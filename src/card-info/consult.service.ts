import { Injectable } from '@nestjs/common';

import { AntomError } from '../antom/antom-error';
import { isCardCurrency } from '../antom/currency';
import { ConsultRequestDto } from '../antom/requests/consult.dto';
import { antomResult } from '../antom/result-codes';
import { ConsultAnswer, PaymentOptionView } from '../antom/wire';
import { FUNDING_TYPES } from '../card-features/bin-table';
import { installmentOffers } from '../card-features/credit-pay-plan';
import { SUPPORTED_CARD_BRANDS } from '../pci/card-collection/validation/card-brand';
import { compact, plansOf } from './installment-plans';

/**
 * payments/consult (Antom's AlipayPayConsultResponse) for the one payment method the gateway offers: CARD.
 * Answered from what a pay accepts, so the option never promises what the pay refuses: the brands brand
 * detection pays (pci card-brand.ts), every FundingType, and the installment plans of userRegion in the
 * amount's currency (credit-pay-plan.ts, the table behind the pay's creditPayPlan check). Nothing goes
 * upstream, nothing is stored.
 */
@Injectable()
export class ConsultService {
  consult(req: ConsultRequestDto): ConsultAnswer {
    const currency = req.paymentAmount.currency;
    if (!isCardCurrency(currency)) throw new AntomError('CURRENCY_NOT_SUPPORT', `${currency} is not a currency cards are charged in.`);
    return { result: antomResult('SUCCESS'), paymentOptions: offersCard(req) ? [cardOption(req.userRegion, currency)] : [] };
  }
}

/** CARD unless the merchant's lists leave it out; cards are a GLOBAL method (Antom: GLOBAL returns Visa and Mastercard). */
function offersCard(req: ConsultRequestDto): boolean {
  if (req.allowedPaymentMethods && !req.allowedPaymentMethods.includes('CARD')) return false;
  if (req.blockedPaymentMethods?.includes('CARD')) return false;
  return !req.allowedPaymentMethodRegions || req.allowedPaymentMethodRegions.includes('GLOBAL');
}

function cardOption(userRegion: string | undefined, currency: string): PaymentOptionView {
  const offer = userRegion ? installmentOffers(userRegion).find((o) => o.currency === currency) : undefined;
  return compact<PaymentOptionView>({
    paymentMethodType: 'CARD',
    paymentMethodCategory: 'CARD',
    paymentMethodRegion: ['GLOBAL'],
    enabled: true,
    paymentOptionDetail: { supportCardBrands: SUPPORTED_CARD_BRANDS.map((cardBrand) => ({ cardBrand })), funding: [...FUNDING_TYPES] },
    installment: offer ? { supportCardBrands: offer.brands.map((cardBrand) => ({ cardBrand })), plans: plansOf(offer) } : undefined,
  });
}
