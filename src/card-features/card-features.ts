import { AntomError } from '../antom/antom-error';
import { PayRequestDto } from '../antom/requests/pay.dto';
import { CardSummary } from '../pci/card-collection/collected-card';
import { CreditPayPlan, installmentRegion, validateCreditPayPlan } from './credit-pay-plan';
import { checkKoreanNonAuthenticated } from './korean-local-card';
import { checkThreeDs } from './three-ds-rules';

export const KOREAN_ISSUERS = [
  'BC',
  'SHINHAN',
  'SAMSUNG',
  'HYUNDAI',
  'LOTTE',
  'KOOKMIN',
  'NONGHYUP',
  'WOORI',
  'HANA',
  'CITI',
  'KAKAOBANK',
  'KBANK',
  'JEJU',
  'JEONBUK',
  'GWANGJU',
  'SUHYUP',
  'SHINHYUP',
  'POST',
  'SAVINGBANK',
];

export interface FeatureDecision {
  /** Metadata fields to set on the upstream request (normalised MPI, the chosen brand). */
  metaOverrides: Record<string, unknown>;
  creditPayPlan?: CreditPayPlan;
  brand: string;
}

const truthy = (v: unknown) => v === true || v === 'true';

/**
 * The card-feature rules of a pay, checked before anything goes upstream: co-badged brand choice, Korean
 * local cards, 3DS / MPI and installments. Each rule lives in its own module; this only composes them.
 * `issuingCountry`: the card's, from the BIN table (the caller looks it up; none for a hosted form).
 */
export function decideCardFeatures(req: PayRequestDto, card: CardSummary, gatewayHoldsCard = true, issuingCountry?: string): FeatureDecision {
  const meta = req.paymentMethod.paymentMethodMetaData ?? {};
  const brand = chooseBrand(meta.selectedCardBrand, card.brands);
  const korean = meta.paymentMethodRegion === 'KR' || KOREAN_ISSUERS.includes(brand);
  const captureMode = req.paymentFactor?.captureMode ?? 'AUTOMATIC';
  if (korean && truthy(req.paymentMethod.requireIssuerAuthentication) && captureMode === 'MANUAL') {
    throw new AntomError('PARAM_ILLEGAL', 'Korean issuer-authenticated cards allow automatic capture only: send captureMode AUTOMATIC.');
  }
  // On the hosted form the acquirer's page asks the buyer; otherwise the merchant must send the checks.
  const hostedForm = !req.paymentMethod.paymentMethodId && meta.cardNo === undefined;
  if (meta.paymentMethodRegion === 'KR' && !truthy(req.paymentMethod.requireIssuerAuthentication) && !hostedForm) checkKoreanNonAuthenticated(meta);
  const env = req.env ?? req.order.env ?? {};
  // On the hosted form the buyer's browser opens the acquirer's page, which gathers what 3DS needs itself:
  // terminalType alone is enough there (the seed's hosted example sends no browserInfo).
  const hasBrowserContext = hostedForm || (!!env.clientIp && (!!env.browserInfo || (env.terminalType === 'APP' && !!env.deviceId)));
  const metaOverrides = {
    ...checkThreeDs(meta, { brand, korean, gatewayHoldsCard, hasBrowserContext }),
    ...(meta.selectedCardBrand ? { selectedCardBrand: brand } : {}),
  };
  const region = installmentRegion(meta.paymentMethodRegion, issuingCountry);
  // Hosted form: the card is typed on the acquirer's page after this answer, so its brand (and, without
  // paymentMethodRegion, its issuing country) is not known here: the acquirer applies those rules to the card.
  const creditPayPlan =
    req.creditPayPlan === undefined
      ? undefined
      : validateCreditPayPlan(req.creditPayPlan, { region, currency: req.paymentAmount.currency, brand: hostedForm ? undefined : brand });
  return { metaOverrides, creditPayPlan, brand };
}

function chooseBrand(selected: unknown, brands: string[]): string {
  if (selected === undefined) return brands[0];
  if (typeof selected !== 'string' || !brands.includes(selected)) {
    throw new AntomError('SELECTED_CARD_BRAND_NOT_AVAILABLE', `selectedCardBrand must be one of this card's brands: ${brands.join(', ')}.`);
  }
  return selected;
}
