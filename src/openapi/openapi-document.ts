import * as fs from 'node:fs';
import * as path from 'node:path';

import type { TSchema } from '@sinclair/typebox';

import { MERCHANT_PATH_PREFIXES } from '../antom/api-paths';
import { GetCardInfoRequestDto, InquireInstallmentRequestDto } from '../antom/requests/card-info.dto';
import { ConsultRequestDto } from '../antom/requests/consult.dto';
import { AcceptDisputeRequestDto, DownloadDisputeEvidenceRequestDto, SupplyDefenseDocumentRequestDto } from '../antom/requests/dispute.dto';
import {
  CancelRequestDto,
  CaptureRequestDto,
  InquiryRefundRequestDto,
  RefundRequestDto,
  UpdateAmountRequestDto,
} from '../antom/requests/lifecycle.dto';
import { InquiryPaymentRequestDto, PayRequestDto } from '../antom/requests/pay.dto';
import { InquireVaultingRequestDto, VaultingSessionRequestDto, VaultPaymentMethodRequestDto } from '../antom/requests/vaulting.dto';
import { MERCHANT_ANSWERS, MERCHANT_NOTIFICATIONS, MerchantApi, NotifyAckSchema } from '../antom/wire';
import { answerComponents } from './answer-components';
import { cardRequestSchemas } from './card-request-schemas';
import { JsonSchema, ref } from './json-schema';
import { requestSchemas, schemaName } from './request-schemas';

interface MerchantApiEntry {
  /** The path after the prefix, as the controllers register it; its answer is MERCHANT_ANSWERS[api] (src/antom/wire). */
  api: MerchantApi;
  operationId: string;
  tag: 'payments' | 'cards' | 'vaults';
  summary: string;
  /** A DTO class (its generated schema) or the name of a schema written in card-request-schemas.ts. */
  request: Function | string;
}

/** Every merchant API (merchant-api/*.controller.ts; openapi-document.spec.ts checks the two lists agree). */
export const MERCHANT_APIS: MerchantApiEntry[] = [
  {
    api: 'payments/pay',
    operationId: 'pay',
    tag: 'payments',
    summary: 'Pay with a card (raw card, vault token, acquirer token or hosted form)',
    request: PayRequestDto,
  },
  {
    api: 'payments/inquiryPayment',
    operationId: 'inquiryPayment',
    tag: 'payments',
    summary: 'Inquire a payment by paymentId or paymentRequestId',
    request: InquiryPaymentRequestDto,
  },
  {
    api: 'payments/capture',
    operationId: 'capture',
    tag: 'payments',
    summary: 'Capture all or part of an authorization',
    request: CaptureRequestDto,
  },
  { api: 'payments/cancel', operationId: 'cancel', tag: 'payments', summary: 'Cancel (void) an uncaptured payment', request: CancelRequestDto },
  { api: 'payments/refund', operationId: 'refund', tag: 'payments', summary: 'Refund captured money', request: RefundRequestDto },
  {
    api: 'payments/inquiryRefund',
    operationId: 'inquiryRefund',
    tag: 'payments',
    summary: 'Inquire a refund by refundId or refundRequestId',
    request: InquiryRefundRequestDto,
  },
  { api: 'cards', operationId: 'storeCard', tag: 'cards', summary: 'Store a card in the vault for a token', request: 'CardStoreRequest' },
  { api: 'cards/delete', operationId: 'deleteCard', tag: 'cards', summary: 'Delete a stored card (crypto-shredding)', request: 'CardDeleteRequest' },
  {
    api: 'vaults/createVaultingSession',
    operationId: 'createVaultingSession',
    tag: 'vaults',
    summary: "Open a vaulting session: the buyer enters the card on the gateway's page",
    request: VaultingSessionRequestDto,
  },
  {
    api: 'vaults/vaultPaymentMethod',
    operationId: 'vaultPaymentMethod',
    tag: 'vaults',
    summary: "Vault a card server to server, or ask a session's state",
    request: VaultPaymentMethodRequestDto,
  },
  {
    api: 'vaults/inquireVaulting',
    operationId: 'inquireVaulting',
    tag: 'vaults',
    summary: 'Inquire a vaulting by vaultingRequestId',
    request: InquireVaultingRequestDto,
  },
  {
    api: 'payments/updateAmount',
    operationId: 'updateAmount',
    tag: 'payments',
    summary: 'Change the authorized amount of an uncaptured MANUAL payment (final result in notifyPayment UPDATE_AMOUNT_RESULT)',
    request: UpdateAmountRequestDto,
  },
  {
    api: 'payments/getCardInfo',
    operationId: 'getCardInfo',
    tag: 'payments',
    summary: "A card's brand, funding, issuing region and installment support, by card number or BIN",
    request: GetCardInfoRequestDto,
  },
  {
    api: 'payments/inquireInstallment',
    operationId: 'inquireInstallment',
    tag: 'payments',
    summary: 'The installment plans the gateway offers',
    request: InquireInstallmentRequestDto,
  },
  {
    api: 'payments/consult',
    operationId: 'consult',
    tag: 'payments',
    summary: 'The payment options for an amount: CARD (brands, funding, installment plans of userRegion), answered by the gateway',
    request: ConsultRequestDto,
  },
  {
    api: 'payments/acceptDispute',
    operationId: 'acceptDispute',
    tag: 'payments',
    summary: 'Accept a dispute (the merchant takes the liability)',
    request: AcceptDisputeRequestDto,
  },
  {
    api: 'payments/supplyDefenseDocument',
    operationId: 'supplyDefenseDocument',
    tag: 'payments',
    summary:
      'Defend a dispute with a PDF or Word document, Base64 (up to 1,000,000 characters: this API reads bodies up to DEFENSE_BODY_LIMIT_BYTES, 1,004,096 bytes)',
    request: SupplyDefenseDocumentRequestDto,
  },
  {
    api: 'payments/downloadDisputeEvidence',
    operationId: 'downloadDisputeEvidence',
    tag: 'payments',
    summary: "Download a dispute's evidence template or the document supplied",
    request: DownloadDisputeEvidenceRequestDto,
  },
  {
    api: 'cards/collectSession',
    operationId: 'collectSession',
    tag: 'cards',
    summary: 'Open a hosted card collection session',
    request: 'CollectSessionRequest',
  },
];

/** The merchant notifications (acquirer-answers/merchant-notices.ts), by Antom's names; each body's schema is MERCHANT_NOTIFICATIONS[name]. */
const WEBHOOKS: Array<{ name: keyof typeof MERCHANT_NOTIFICATIONS; summary: string }> = [
  { name: 'notifyPayment', summary: "A payment's final result (notifyType PAYMENT_RESULT), to paymentNotifyUrl" },
  { name: 'notifyCapture', summary: "A capture's final result (notifyType CAPTURE_RESULT), to paymentNotifyUrl" },
  { name: 'notifyVaulting', summary: "A vaulting's final result (no notifyType, as Antom's), to vaultingNotificationUrl or else paymentNotifyUrl" },
  {
    name: 'notifyPaymentUpdateAmount',
    summary: "notifyPayment for an amount update's final result (notifyType UPDATE_AMOUNT_RESULT), to paymentNotifyUrl",
  },
  { name: 'notifyDispute', summary: "A dispute's notice (no notifyType, as Antom's; disputeNotificationType says which), to paymentNotifyUrl" },
  { name: 'notifyRefund', summary: "A refund's final result (notifyType REFUND_RESULT), to refundNotifyUrl or else paymentNotifyUrl" },
];

const SIGNING =
  'SHA256withRSA (PKCS#1 v1.5) over `POST <path>\\n<Client-Id>.<time>.<body>` (the path exactly as sent, the raw body bytes), ' +
  'base64 then URL-encoded, sent as `algorithm=RSA256,keyVersion=<n>,signature=<value>`.';

const header = (description: string, schema: JsonSchema = { type: 'string' }) => ({ required: true, description, schema });

const COMPONENT_HEADERS = {
  'Client-Id': header("The merchant's client id."),
  'Response-Time': header('When the answer was signed (ISO 8601 with offset); covered by the signature.'),
  Signature: header(`The gateway's signature of the answer: ${SIGNING} Verify it with the gateway's public key.`),
};

const PARAMETERS = {
  RequestTime: {
    name: 'Request-Time',
    in: 'header',
    ...header(
      'When the request was signed: epoch milliseconds (or seconds), or ISO 8601 with offset; covered by the signature and refused (REQUEST_TIME_EXPIRED) outside the allowed window.',
    ),
  },
  NotifyRequestTime: {
    name: 'Request-Time',
    in: 'header',
    ...header('When the gateway signed the notification (ISO 8601 with offset); covered by the signature.'),
  },
  NotifyClientId: { name: 'Client-Id', in: 'header', ...header("The merchant's client id.") },
  NotifySignature: {
    name: 'Signature',
    in: 'header',
    ...header(`The gateway's signature of the notification: ${SIGNING} Verify it with the gateway's public key before reading the body.`),
  },
};

const SECURITY_SCHEMES = {
  ClientId: {
    type: 'apiKey',
    in: 'header',
    name: 'Client-Id',
    description: "The merchant's client id (SANDBOX_… ids may use the /ams/sandbox/ paths).",
  },
  Signature: {
    type: 'apiKey',
    in: 'header',
    name: 'Signature',
    description: `The merchant's signature of the request with its private key: ${SIGNING} The Request-Time header is part of what is signed.`,
  },
};

/** The served document (OpenAPI 3.1), as this file builds it. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  security: Array<{ [scheme: string]: string[] }>;
  tags: Array<{ name: string; description: string }>;
  paths: { [path: string]: { post: JsonSchema } };
  webhooks: { [name: string]: { post: JsonSchema } };
  components: {
    schemas: { [name: string]: JsonSchema };
    parameters: typeof PARAMETERS;
    headers: typeof COMPONENT_HEADERS;
    securitySchemes: typeof SECURITY_SCHEMES;
  };
}

/**
 * The gateway's OpenAPI 3.1 document, the same on every call: the requests generated from the DTOs
 * (request-schemas.ts), the answers and notifications from the wire types (src/antom/wire, answer-components.ts).
 */
export function buildOpenApiDocument(): OpenApiDocument {
  const roots = MERCHANT_APIS.map((a) => a.request).filter((r): r is Function => typeof r === 'function');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Card gateway merchant API (Antom wire format)',
      version: packageVersion(),
      description: "Every answer is HTTP 200, signed, with `result` S, F or U (see Result). Bodies are JSON; field names and types are Antom's.",
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ ClientId: [], Signature: [] }],
    tags: [
      { name: 'payments', description: "Antom's payment APIs" },
      { name: 'cards', description: "The gateway's card vault" },
      { name: 'vaults', description: "Antom's vaulting APIs, answered by the gateway's vault" },
    ],
    paths: Object.fromEntries(MERCHANT_APIS.flatMap((a) => MERCHANT_PATH_PREFIXES.map((prefix, i) => [prefix + a.api, { post: operation(a, i) }]))),
    webhooks: Object.fromEntries(WEBHOOKS.map((w) => [w.name, { post: webhook(w) }])),
    components: {
      schemas: disjoint(
        requestSchemas(roots),
        cardRequestSchemas(),
        answerComponents([...Object.values(MERCHANT_ANSWERS), ...Object.values(MERCHANT_NOTIFICATIONS), NotifyAckSchema]),
      ),
      parameters: PARAMETERS,
      headers: COMPONENT_HEADERS,
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

/** The component schemas of all sources; one name in two of them would silently lose one. */
function disjoint(...parts: Array<{ [name: string]: JsonSchema }>): { [name: string]: JsonSchema } {
  const out: { [name: string]: JsonSchema } = {};
  for (const part of parts) {
    for (const [name, schema] of Object.entries(part)) {
      if (out[name]) throw new Error(`two component schemas are named ${name}`);
      out[name] = schema;
    }
  }
  return out;
}

function operation(a: MerchantApiEntry, prefixIndex: number): JsonSchema {
  const request = typeof a.request === 'function' ? schemaName(a.request.name) : a.request;
  const canonical = MERCHANT_PATH_PREFIXES[0] + a.api;
  const variant = ['', 'Sandbox', 'Short'][prefixIndex];
  return {
    operationId: a.operationId + variant,
    tags: [a.tag],
    summary: a.summary,
    ...(variant && {
      description: `The same API as POST ${canonical}, under ${MERCHANT_PATH_PREFIXES[prefixIndex]} (${variant === 'Sandbox' ? "the path Antom's SDKs use for SANDBOX_ client ids" : 'the short form'}). The signature covers the path as sent.`,
    }),
    parameters: [{ $ref: '#/components/parameters/RequestTime' }],
    requestBody: { required: true, content: { 'application/json': { schema: ref(request) } } },
    responses: {
      200: {
        description:
          'Every answer the gateway reads the request for is 200, signed; the outcome is `result`. A failure before the API ran (signature, body) answers `result` alone.',
        headers: Object.fromEntries(Object.keys(COMPONENT_HEADERS).map((h) => [h, { $ref: `#/components/headers/${h}` }])),
        content: { 'application/json': { schema: ref(schemaId(MERCHANT_ANSWERS[a.api])) } },
      },
      429: {
        description:
          "Refused before anything was read, verified or signed, so unsigned: the caller's address sent too many requests without a valid signature (IP_RATE_LIMIT_MERCHANT_API). `result` is U REQUEST_TRAFFIC_EXCEED_LIMIT: wait Retry-After seconds, then retry with the same request id.",
        headers: { 'Retry-After': { description: 'Seconds until the window ends.', schema: { type: 'integer', minimum: 1 } } },
        content: {
          'application/json': {
            schema: { type: 'object', required: ['result'], additionalProperties: false, properties: { result: ref('Result') } },
          },
        },
      },
    },
  };
}

function webhook(w: (typeof WEBHOOKS)[number]): JsonSchema {
  return {
    operationId: w.name,
    summary: w.summary,
    description:
      'Sent by the gateway, signed as Antom signs, retried on a schedule until the receiver answers HTTP 200 with the ack; ordered per payment.',
    parameters: ['NotifyClientId', 'NotifyRequestTime', 'NotifySignature'].map((p) => ({ $ref: `#/components/parameters/${p}` })),
    requestBody: { required: true, content: { 'application/json': { schema: ref(schemaId(MERCHANT_NOTIFICATIONS[w.name])) } } },
    responses: { 200: { description: 'The acknowledgement', content: { 'application/json': { schema: ref(schemaId(NotifyAckSchema)) } } } },
  };
}

/** A wire schema's component name. */
const schemaId = (schema: TSchema): string => schema.$id as string;

/** The repository's version (package.json, found upwards: src/ and dist/src/ alike). */
function packageVersion(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'antom-card-gateway' && pkg.version) return pkg.version;
    } catch {
      /* not here */
    }
  }
  return '0.0.0';
}
