import { antomResult } from '../src/antom/result-codes';
import { CO_BADGED, INSTALLMENT_COUNTS, INSTALLMENT_REGIONS, isCardNumber } from './card-decision';
import { amountOf, Body, compact, SandboxContext, SandboxError } from './sandbox-context';
import { brandOf, SANDBOX_BRANDS } from './test-cards';

/*
 * getCardInfo, inquireInstallment and consult (payment method consult, cards only), answered from the
 * sandbox's test cards and its installment rules (card-decision.ts): what they offer is what a pay accepts.
 * Nothing is stored, nothing of the card is kept or echoed but its brand. Shapes: Java's
 * AlipayGetCardInfoResponse / AlipayInquireInstallmentResponse, Go's AlipayPayConsultResponse, in their
 * JSON types (wire-types.ts).
 */

/** Every card the sandbox authorizes is a consumer credit card issued in the US (its pay answers say so). */
const ISSUER = { issuingRegion: 'US', funding: 'CREDIT', cardCategory: 'CONSUMER' } as const;

export async function getCardInfo(_ctx: SandboxContext, _clientId: string, body: Body): Promise<Body> {
  const bin = binOf(body);
  const region = body.paymentMethodRegion ?? undefined;
  if (region !== undefined && (typeof region !== 'string' || !/^[A-Z]{2}$/.test(region)))
    throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter paymentMethodRegion.');
  const brand = brandOf(bin);
  if (brand === 'UNKNOWN') throw new SandboxError('CARD_NOT_SUPPORTED', 'No scheme the sandbox pays issues this card.');
  // The region an installment plan would be paid in: as a pay decides it (the region sent, else the issuer's).
  const where = region ?? ISSUER.issuingRegion;
  const installments = INSTALLMENT_REGIONS.has(where);
  return compact({
    result: antomResult('SUCCESS'),
    cardBrand: brand,
    coBagedCardBrand: bin.startsWith(CO_BADGED.slice(0, 8)) ? 'CARTES_BANCAIRES' : undefined, // sic: the Java model's name
    ...ISSUER,
    supportInstallment: installments,
    installment: installments ? { supportCardBrands: [{ cardBrand: brand }], plans: plans(where) } : undefined,
  });
}

/** One InstallmentBank (the Java model types `installmentBanks` as one object), every region's plans. */
export async function inquireInstallment(): Promise<Body> {
  return {
    result: antomResult('SUCCESS'),
    installmentBanks: { bankName: 'Sandbox issuers', bankShortName: 'SANDBOX', plans: [...INSTALLMENT_REGIONS].flatMap(plans) },
  };
}

/**
 * payments/consult for cards: one PaymentOption CARD (enabled, every brand the sandbox pays, the
 * installment plans of userRegion where it has them), or none when allowedPaymentMethods leaves CARD out
 * or blockedPaymentMethods names it.
 */
export async function consult(_ctx: SandboxContext, _clientId: string, body: Body): Promise<Body> {
  if (body.productCode !== 'CASHIER_PAYMENT') throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter productCode: must be CASHIER_PAYMENT.');
  amountOf(body.paymentAmount, 'paymentAmount');
  const allowed = listOf(body, 'allowedPaymentMethods');
  const blocked = listOf(body, 'blockedPaymentMethods') ?? [];
  const userRegion = body.userRegion ?? undefined;
  if (userRegion !== undefined && (typeof userRegion !== 'string' || !/^[A-Z]{2}$/.test(userRegion)))
    throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter userRegion.');
  const offered = (!allowed || allowed.includes('CARD')) && !blocked.includes('CARD');
  const installment =
    userRegion && INSTALLMENT_REGIONS.has(userRegion)
      ? { supportCardBrands: SANDBOX_BRANDS.filter((b) => b !== 'CARTES_BANCAIRES').map((cardBrand) => ({ cardBrand })), plans: plans(userRegion) }
      : undefined;
  const card = compact({
    paymentMethodType: 'CARD',
    paymentMethodCategory: 'CARD',
    paymentMethodRegion: ['GLOBAL'],
    enabled: true,
    paymentOptionDetail: { supportCardBrands: SANDBOX_BRANDS.map((cardBrand) => ({ cardBrand })), funding: [ISSUER.funding] },
    installment,
  });
  return { result: antomResult('SUCCESS'), paymentOptions: offered ? [card] : [] };
}

function binOf(body: Body): string {
  const cardNo = body.cardNo ?? undefined;
  const cardBin = body.cardBin ?? undefined;
  if (cardNo !== undefined && cardBin !== undefined)
    throw new SandboxError('PARAM_ILLEGAL', 'Illegal parameter cardNo: send cardNo or cardBin, not both.');
  if (cardNo !== undefined) {
    if (typeof cardNo !== 'string' || !isCardNumber(cardNo))
      throw new SandboxError('INVALID_CARD_NUMBER', 'Illegal parameter cardNo: not a valid card number.');
    return cardNo.slice(0, 8);
  }
  if (typeof cardBin === 'string' && /^\d{6,8}$/.test(cardBin)) return cardBin;
  throw new SandboxError(
    'PARAM_ILLEGAL',
    cardBin === undefined ? 'Illegal parameter cardBin: cardNo or cardBin is required.' : 'Illegal parameter cardBin: 6 to 8 digits.',
  );
}

/** The Plans of one region: every count a pay accepts, monthly, the region in extendInfo (a JSON string). */
function plans(region: string): Body[] {
  const extendInfo = JSON.stringify({ paymentMethodRegion: region });
  const counts = Array.from({ length: INSTALLMENT_COUNTS.max - INSTALLMENT_COUNTS.min + 1 }, (_, i) => INSTALLMENT_COUNTS.min + i);
  return counts.map((n) => ({ installmentNum: String(n), interval: 'MONTH', enabled: true, extendInfo }));
}

function listOf(body: Body, field: string): string[] | undefined {
  const v = body[field] ?? undefined;
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new SandboxError('PARAM_ILLEGAL', `Illegal parameter ${field}.`);
  return v;
}
