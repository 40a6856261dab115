import { Static, Type } from '@sinclair/typebox';

import { Closed, Const, Opt, Time } from './kit';
import { Installment, InstallmentPlan, PaymentOption, Result } from './models';

/*
 * The card APIs' answers: the gateway's own card vault (cards, cards/delete, cards/collectSession: no Antom model),
 * and getCardInfo, inquireInstallment, consult (Java SDK AlipayGetCardInfoResponse, AlipayInquireInstallmentResponse;
 * Go responsePay.AlipayPayConsultResponse), answered from the gateway's BIN table and installment offers.
 */

export const CardStoreAnswer = Closed(
  'CardStoreAnswer',
  'A stored card: the token to pay with (paymentMethodId) and what may be shown of the card.',
  {
    result: Result,
    cardToken: Opt(Type.String()),
    cardBin: Opt(Type.String({ pattern: '^\\d{6,8}$' })),
    lastFour: Opt(Type.String({ pattern: '^\\d{4}$' })),
    cardBrand: Opt(Type.String()),
    cardBrands: Opt(Type.Array(Type.String())),
    onFile: Opt(Type.Boolean()),
    tokenExpiryTime: Opt(Time),
  },
);
export type CardStoreAnswer = Static<typeof CardStoreAnswer>;

export const CardDeleteAnswer = Closed('CardDeleteAnswer', 'The card is shredded (its key destroyed).', {
  result: Result,
  cardToken: Opt(Type.String()),
  deleted: Opt(Const(true)),
});
export type CardDeleteAnswer = Static<typeof CardDeleteAnswer>;

export const CollectSessionAnswer = Closed('CollectSessionAnswer', 'A hosted card page session: frame collectUrl on the parent origin.', {
  result: Result,
  sessionId: Opt(Type.String()),
  collectUrl: Opt(Type.String({ format: 'uri' })),
  expiryTime: Opt(Time),
});
export type CollectSessionAnswer = Static<typeof CollectSessionAnswer>;

export const GetCardInfoAnswer = Closed(
  'GetCardInfoAnswer',
  "getCardInfo (AlipayGetCardInfoResponse), answered from the gateway's BIN table; nothing of the card but its BIN is read.",
  {
    result: Result,
    cardBrand: Opt(Type.String()),
    coBagedCardBrand: Opt(Type.String({ description: "The co-badged brand (sic: the Java SDK model's name)." })),
    issuingRegion: Opt(Type.String({ pattern: '^[A-Z]{2}$' })),
    funding: Opt(Type.String()),
    cardCategory: Opt(Type.String()),
    supportInstallment: Opt(Type.Boolean()),
    installment: Opt(Installment()),
  },
);
export type GetCardInfoAnswer = Static<typeof GetCardInfoAnswer>;

export const InquireInstallmentAnswer = Closed(
  'InquireInstallmentAnswer',
  'inquireInstallment (AlipayInquireInstallmentResponse): one InstallmentBank holding every offer.',
  {
    result: Result,
    installmentBanks: Opt(
      Type.Object(
        {
          bankName: Opt(Type.String()),
          bankShortName: Opt(Type.String()),
          plans: Opt(Type.Array(InstallmentPlan)),
        },
        { additionalProperties: false },
      ),
    ),
  },
);
export type InquireInstallmentAnswer = Static<typeof InquireInstallmentAnswer>;
export type InstallmentPlanView = Static<typeof InstallmentPlan>;

export const ConsultAnswer = Closed(
  'ConsultAnswer',
  'consult (AlipayPayConsultResponse), cards only: one PaymentOption CARD, or none when allowedPaymentMethods, blockedPaymentMethods or allowedPaymentMethodRegions (cards are GLOBAL) leave it out.',
  {
    result: Result,
    paymentOptions: Opt(Type.Array(PaymentOption, { maxItems: 1 })),
  },
);
export type ConsultAnswer = Static<typeof ConsultAnswer>;
export type PaymentOptionView = Static<typeof PaymentOption>;
