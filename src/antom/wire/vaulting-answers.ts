import { Static, Type } from '@sinclair/typebox';

import { Closed, Id, Opt, Time } from './kit';
import { ProcessingStatus, Result, VaultedPaymentMethodDetail } from './models';

/*
 * Antom's vaulting answers (Go SDK v1.3.5 response/vaulting: AlipayVaultingSessionResponse,
 * AlipayVaultingPaymentMethodResponse, AlipayVaultingQueryResponse): every value a JSON string, the card masked.
 * Built by src/vaulting/vaulting-views.ts.
 */

const url = Type.String({ format: 'uri', description: 'The vaulting page, while the session is open.' });

export const VaultingSessionAnswer = Closed(
  'VaultingSessionAnswer',
  'createVaultingSession: the session and the page the buyer enters the card on.',
  {
    result: Result,
    vaultingSessionData: Opt(Type.String()),
    vaultingSessionId: Opt(Type.String()),
    vaultingSessionExpiryTime: Opt(Time),
    normalUrl: Opt(url),
  },
);
export type VaultingSessionAnswer = Static<typeof VaultingSessionAnswer>;

export const VaultPaymentMethodAnswer = Closed(
  'VaultPaymentMethodAnswer',
  'vaultPaymentMethod: S with the card, U VERIFICATION_IN_PROCESS while the buyer has the page, F once it expired.',
  {
    result: Result,
    vaultingRequestId: Opt(Id("The merchant's id of the vaulting.")),
    paymentMethodDetail: Opt(VaultedPaymentMethodDetail),
    normalUrl: Opt(url),
  },
);
export type VaultPaymentMethodAnswer = Static<typeof VaultPaymentMethodAnswer>;

export const InquireVaultingAnswer = Closed(
  'InquireVaultingAnswer',
  "inquireVaulting: `result` says the inquiry worked; vaultingStatus is the vaulting's own state.",
  {
    result: Result,
    vaultingRequestId: Opt(Id("The merchant's id of the vaulting.")),
    vaultingStatus: Opt(ProcessingStatus),
    paymentMethodDetail: Opt(VaultedPaymentMethodDetail),
    normalUrl: Opt(url),
  },
);
export type InquireVaultingAnswer = Static<typeof InquireVaultingAnswer>;
export type VaultedPaymentMethodDetail = Static<typeof VaultedPaymentMethodDetail>;
