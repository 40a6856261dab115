import { JsonSchema } from './json-schema';

/*
 * The card-storage requests have no DTO: merchant-api/cards.controller.ts reads three fields and the vault's
 * validator (pci/card-collection/validation) checks the card itself. These schemas say what that code reads;
 * the traffic test validates real requests against them. The card fields are not spelled out here: the
 * vault's validator is their definition (PAN with Luhn, expiry, CVV, cardholder name).
 */
const booleanLike: JsonSchema = {
  type: ['boolean', 'string'],
  enum: [true, false, 'true', 'false'],
  description: 'A boolean; "true" / "false" also accepted (Antom\'s docs).',
};
const cardFields: JsonSchema = {
  type: 'object',
  description:
    "The card, as in pay's paymentMethod.paymentMethodMetaData (cardNo, expiryMonth, expiryYear, cvv, cardholderName, …), validated by the vault.",
};

export function cardRequestSchemas(): Record<string, JsonSchema> {
  return {
    CardStoreRequest: {
      type: 'object',
      description: 'Stores a card for a token (paymentMethodId of a later pay). The card goes at the top level or inside paymentMethod.',
      properties: {
        paymentMethodMetaData: cardFields,
        paymentMethod: { type: 'object', properties: { paymentMethodMetaData: cardFields, isCardOnFile: booleanLike } },
        isCardOnFile: { ...booleanLike, description: 'Keep the card on file (no token expiry); also read inside paymentMethodMetaData.' },
      },
      anyOf: [
        { required: ['paymentMethodMetaData'], properties: { paymentMethodMetaData: cardFields } },
        {
          required: ['paymentMethod'],
          properties: { paymentMethod: { type: 'object', required: ['paymentMethodMetaData'], properties: { paymentMethodMetaData: cardFields } } },
        },
      ],
    },
    CardDeleteRequest: {
      type: 'object',
      required: ['cardToken'],
      properties: { cardToken: { type: 'string', minLength: 1, description: 'The token to shred.' } },
    },
    CollectSessionRequest: {
      type: 'object',
      required: ['parentOrigin'],
      properties: {
        parentOrigin: { type: 'string', description: "The origin that frames the card page; one of the merchant's allowed origins." },
        isCardOnFile: booleanLike,
      },
    },
  };
}
