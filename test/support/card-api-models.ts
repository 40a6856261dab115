import { GoType } from './go-sdk-models';

/*
 * Field types of the answers of updateAmount, getCardInfo and inquireInstallment, from the SDKs' model
 * sources (alipay/global-open-sdk-go and -java, newest stored snapshot), written in go-sdk-models.ts's
 * notation and checked with the same decoder (go-decode.ts `modelDecodeProblems`):
 * - updateAmount: Go `com/alipay/api/response/pay/AlipayUpdateAmountResponse.go` (Result, updateRequestId,
 *   paymentId, Amount) — also the Java and Python models' fields;
 * - getCardInfo, inquireInstallment: only in the Java SDK (`response/ams/pay/AlipayGetCardInfoResponse.java`,
 *   `AlipayInquireInstallmentResponse.java`, `model/ams/{Installment,InstallmentBank,Plan,SupportCardBrand,
 *   Logo}.java`): String → string, Boolean → bool, List<T> → array, an enum (FundingType,
 *   CardCategoryType) → string holding one of its values (checked by the suite), `installmentBanks` ONE
 *   InstallmentBank object (not a list), as the Java field is typed.
 */
export const CARD_API_ROOTS = {
  updateAmount: 'responsePay.AlipayUpdateAmountResponse',
  getCardInfo: 'java.AlipayGetCardInfoResponse',
  inquireInstallment: 'java.AlipayInquireInstallmentResponse',
} as const;

export const CARD_API_MODELS: Record<string, Record<string, GoType>> = {
  'model.Result': { resultCode: 'string', resultStatus: 'string', resultMessage: 'string' },
  'model.Amount': { currency: 'string', value: 'string' },
  'responsePay.AlipayUpdateAmountResponse': {
    result: { model: 'model.Result' },
    updateRequestId: 'string',
    paymentId: 'string',
    amount: { model: 'model.Amount' },
  },
  'java.AlipayGetCardInfoResponse': {
    result: { model: 'model.Result' },
    cardBrand: 'string',
    localCardBrand: 'string',
    coBagedCardBrand: 'string',
    issuingRegion: 'string',
    funding: 'string',
    cardCategory: 'string',
    supportInstallment: 'bool',
    installment: { model: 'java.Installment' },
  },
  'java.Installment': {
    supportCardBrands: { array: { model: 'java.SupportCardBrand' } },
    plans: { array: { model: 'java.Plan' } },
  },
  'java.SupportCardBrand': { cardBrand: 'string', logo: { model: 'java.Logo' } },
  'java.Logo': { logoName: 'string', logoUrl: 'string' },
  'java.Plan': {
    interestRate: 'string',
    minInstallmentAmount: { model: 'model.Amount' },
    maxInstallmentAmount: { model: 'model.Amount' },
    installmentNum: 'string',
    interval: 'string',
    enabled: 'bool',
    extendInfo: 'string',
  },
  'java.AlipayInquireInstallmentResponse': {
    result: { model: 'model.Result' },
    installmentBanks: { model: 'java.InstallmentBank' },
  },
  'java.InstallmentBank': {
    logo: { model: 'java.Logo' },
    bankName: 'string',
    bankShortName: 'string',
    bankTerms: 'string',
    bankPromoUrl: 'string',
    bins: { array: 'string' },
    plans: { array: { model: 'java.Plan' } },
  },
};
