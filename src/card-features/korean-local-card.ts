import { AntomError } from '../antom/antom-error';

const FIELD = 'paymentMethod.paymentMethodMetaData';

/**
 * Korean local cards paid without issuer authentication: the issuer checks the buyer's date of birth
 * (YYMMDD) or the company's business number (10 digits), and the first two digits of the card password.
 * `cardPasswordDigest` is a secret like a CVV: it is checked here and forwarded, never stored, logged or
 * echoed — no message below quotes a value.
 */
export function checkKoreanNonAuthenticated(meta: Record<string, unknown>): void {
  const { dateOfBirth, businessNo, cardPasswordDigest } = meta;
  if (dateOfBirth === undefined && businessNo === undefined) {
    throw new AntomError(
      'PARAM_ILLEGAL',
      `Korean local cards without issuer authentication need ${FIELD}.dateOfBirth (YYMMDD) or ${FIELD}.businessNo (10 digits).`,
    );
  }
  if (dateOfBirth !== undefined && !isYymmdd(dateOfBirth)) {
    throw new AntomError('PARAM_ILLEGAL', `Illegal parameter ${FIELD}.dateOfBirth: the buyer's date of birth as YYMMDD, 6 digits.`);
  }
  if (businessNo !== undefined && !(typeof businessNo === 'string' && /^\d{10}$/.test(businessNo))) {
    throw new AntomError('PARAM_ILLEGAL', `Illegal parameter ${FIELD}.businessNo: the business registration number, 10 digits.`);
  }
  if (cardPasswordDigest === undefined) {
    throw new AntomError(
      'PARAM_ILLEGAL',
      `Korean local cards without issuer authentication need ${FIELD}.cardPasswordDigest: the first two digits of the card password.`,
    );
  }
  if (!(typeof cardPasswordDigest === 'string' && /^\d{2}$/.test(cardPasswordDigest))) {
    throw new AntomError('PARAM_ILLEGAL', `Illegal parameter ${FIELD}.cardPasswordDigest: the first two digits of the card password, 2 digits.`);
  }
}

function isYymmdd(v: unknown): boolean {
  if (typeof v !== 'string' || !/^\d{6}$/.test(v)) return false;
  const month = Number(v.slice(2, 4));
  const day = Number(v.slice(4, 6));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
