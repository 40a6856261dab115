import { InstallmentPlanView } from '../antom/wire';
import { InstallmentOffer } from '../card-features/credit-pay-plan';

/**
 * An offer as Antom's Plan models (strings as the SDK types them): one plan per count, monthly, enabled;
 * where it applies (region, currency, brands) in extendInfo, a JSON string as Antom's extendInfo fields are.
 * getCardInfo, inquireInstallment and consult answer the same plans.
 */
export function plansOf(o: InstallmentOffer): InstallmentPlanView[] {
  const extendInfo = JSON.stringify({ paymentMethodRegion: o.region, currency: o.currency, cardBrands: o.brands });
  return o.counts.map((n) => ({ installmentNum: String(n), interval: 'MONTH', enabled: true, extendInfo }));
}

/** Antom omits absent fields (contract §2). */
export function compact<T extends object>(o: T): T {
  const fields = o as { [field: string]: unknown };
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  return o;
}
