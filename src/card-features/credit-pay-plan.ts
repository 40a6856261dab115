import { AntomError } from '../antom/antom-error';

/**
 * Where card installments exist, with the local currency and the brands that offer them (contract §4).
 * The one table behind both the pay's creditPayPlan check and the offers inquireInstallment / getCardInfo
 * answer: what is offered is exactly what a pay accepts.
 */
export const INSTALLMENT_REGIONS: Readonly<Record<string, { currency: string; brands: readonly string[] }>> = {
  BR: { currency: 'BRL', brands: ['VISA', 'MASTERCARD', 'AMEX', 'ELO', 'HIPERCARD', 'DINERS'] },
  MX: { currency: 'MXN', brands: ['VISA', 'MASTERCARD', 'AMEX'] },
  CL: { currency: 'CLP', brands: ['VISA', 'MASTERCARD', 'AMEX', 'DINERS'] },
  KR: {
    currency: 'KRW',
    brands: ['VISA', 'MASTERCARD', 'AMEX', 'JCB', 'BC', 'SHINHAN', 'SAMSUNG', 'HYUNDAI', 'LOTTE', 'KOOKMIN', 'NONGHYUP', 'WOORI', 'HANA', 'CITI'],
  },
  US: { currency: 'USD', brands: ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER'] },
};

const REGIONS = INSTALLMENT_REGIONS;
/** Installment counts a plan may have, inclusive. */
export const INSTALLMENT_COUNTS = { min: 2, max: 36 } as const;

/** One offer: a region, its currency, the brands, and every count a pay may ask for. */
export interface InstallmentOffer {
  region: string;
  currency: string;
  brands: readonly string[];
  counts: number[];
}

/** The offers of one region (or every region): what validateCreditPayPlan accepts, as data. */
export function installmentOffers(region?: string): InstallmentOffer[] {
  const counts = Array.from({ length: INSTALLMENT_COUNTS.max - INSTALLMENT_COUNTS.min + 1 }, (_, i) => INSTALLMENT_COUNTS.min + i);
  return Object.entries(REGIONS)
    .filter(([r]) => region === undefined || r === region)
    .map(([r, v]) => ({ region: r, currency: v.currency, brands: v.brands, counts }));
}

/**
 * The region a card's installments are paid in, one rule for a pay and for getCardInfo: the request's
 * `paymentMethodRegion`, else the card's issuing country (the BIN table's). Never the billing address:
 * that is where the cardholder receives statements (AVS input), not where the card offers installments.
 */
export function installmentRegion(paymentMethodRegion: unknown, issuingCountry: string | undefined): string | undefined {
  if (typeof paymentMethodRegion === 'string' && paymentMethodRegion !== '') return paymentMethodRegion;
  return issuingCountry;
}

export interface CreditPayPlan {
  installmentNum?: number;
  filteredInstallmentPeriods?: number[];
  interval?: string;
  creditPayFeeType?: 'PERCENTAGE';
  feePercentage?: number;
}

const isInt = (v: unknown, min: number, max: number) => {
  // Length first: a regular expression over megabytes of digits overflows V8's backtrack stack.
  const n = typeof v === 'string' && v.length <= 9 && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : null;
};

/**
 * Validates an installment plan against the card, region and currency before anything goes upstream.
 * `brand` undefined: the card is not known yet (hosted form, typed on the acquirer's page later). Then the
 * plan's own shape is checked, and the region and currency when the merchant named the region; the card's
 * brand (and, without a region, its issuing country) is the acquirer's to check once the buyer typed it —
 * a card that offers no installments there is declined on its page, the result comes by notification.
 */
export function validateCreditPayPlan(plan: unknown, ctx: { region?: string; currency: string; brand?: string }): CreditPayPlan {
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) throw illegal('creditPayPlan must be an object.');
  const p = plan as Record<string, unknown>;
  const num = p.installmentNum === undefined ? undefined : isInt(p.installmentNum, INSTALLMENT_COUNTS.min, INSTALLMENT_COUNTS.max);
  if (p.installmentNum !== undefined && num === null) throw illegal('creditPayPlan.installmentNum must be an integer from 2 to 36.');
  const periods = p.filteredInstallmentPeriods;
  if (num !== undefined && periods !== undefined) throw illegal('creditPayPlan: send installmentNum or filteredInstallmentPeriods, not both.');
  if (num === undefined && periods === undefined) throw illegal('creditPayPlan needs installmentNum or filteredInstallmentPeriods.');
  const list = periods === undefined ? undefined : checkPeriods(periods);
  if (p.creditPayFeeType !== undefined && p.creditPayFeeType !== 'PERCENTAGE') throw illegal('creditPayPlan.creditPayFeeType must be PERCENTAGE.');
  const fee = p.feePercentage === undefined ? undefined : isInt(p.feePercentage, 0, 100);
  if (p.feePercentage !== undefined && fee === null) throw illegal('creditPayPlan.feePercentage must be an integer from 0 to 100.');
  const checked = {
    installmentNum: num ?? undefined,
    filteredInstallmentPeriods: list,
    interval: typeof p.interval === 'string' ? p.interval.slice(0, 16) : undefined,
    creditPayFeeType: p.creditPayFeeType as 'PERCENTAGE' | undefined,
    feePercentage: fee ?? undefined,
  };
  if (ctx.brand === undefined && ctx.region === undefined) return checked;
  const region = ctx.region ? REGIONS[ctx.region] : undefined;
  if (!region)
    throw new AntomError(
      'PARAM_ILLEGAL',
      `Card installments are not offered in region ${ctx.region ?? '(none)'}; supported: ${Object.keys(REGIONS).join(', ')}.`,
    );
  if (region.currency !== ctx.currency) throw new AntomError('CURRENCY_NOT_SUPPORT', `Installments in ${ctx.region} are paid in ${region.currency}.`);
  if (ctx.brand !== undefined && !region.brands.includes(ctx.brand))
    throw new AntomError('CARD_NOT_SUPPORTED', `${ctx.brand} cards do not offer installments in ${ctx.region}.`);
  return checked;
}

function checkPeriods(v: unknown): number[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 35)
    throw illegal('creditPayPlan.filteredInstallmentPeriods must be a non-empty list of periods.');
  return v.map((x) => {
    const n = isInt(x, INSTALLMENT_COUNTS.min, INSTALLMENT_COUNTS.max);
    if (n === null) throw illegal('creditPayPlan.filteredInstallmentPeriods entries must be integers from 2 to 36.');
    return n;
  });
}

function illegal(message: string): AntomError {
  return new AntomError('PARAM_ILLEGAL', `Illegal parameter ${message}`);
}
