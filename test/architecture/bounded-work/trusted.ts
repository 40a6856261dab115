import { r } from './harness';

/**
 * Regexes no outsider's input reaches: the operator's configuration, what the gateway itself generated,
 * or text of fixed shape. `regexes` omitted: every one in the file.
 */
export const TRUSTED: Array<{ file: string; regexes?: string[]; why: string }> = [
  { file: 'src/config/gateway-config.ts', why: "the operator's environment, read once at start-up" },
  { file: 'sandbox/sandbox-settings.ts', why: "the operator's environment, read once at start-up" },
  { file: 'src/admin/admin-settings.ts', why: "the operator's environment, read once at start-up" },
  { file: 'src/pci/vault/crypto/env-keyring-source.ts', why: "the operator's key ring (environment)" },
  {
    file: 'src/pci/vault/vault-secret-sealer.ts',
    why: 'a value the gateway sealed itself, read from admin_user (bounded: text column written by seal())',
  },
  { file: 'src/platform/http/tls-material.ts', why: "the operator's certificate file" },
  { file: 'src/platform/database/embedded-postgres.ts', why: "PostgreSQL's own log lines and /proc/1/cmdline" },
  { file: 'src/platform/database/sql.ts', why: "the gateway's own SQL text" },
  { file: 'src/payments/disputes.repository.ts', why: "the gateway's own SQL column list" },
  { file: 'src/merchants/merchants.repository.ts', why: 'the demo merchant prefix, a constant (bootstrap/demo-merchant.ts)' },
  { file: 'src/openapi/request-schemas.ts', why: 'class names of the request DTOs' },
  { file: 'src/upstream/retry-policy.ts', why: 'an outcome reason the gateway wrote ("HTTP 503")' },
  { file: 'src/platform/metrics/metrics.service.ts', why: 'sign-in failure reasons the gateway names' },
  { file: 'src/authorization/new-payment.ts', why: 'randomUUID()' },
  { file: 'src/operations/capture.operation.ts', regexes: [r`/-/g`], why: 'randomUUID()' },
  { file: 'src/operations/refund.operation.ts', regexes: [r`/-/g`], why: 'randomUUID()' },
  { file: 'src/acquirer-answers/automatic-capture.ts', regexes: [r`/-/g`], why: 'randomUUID()' },
  { file: 'src/acquirer-answers/dispute-notifications.service.ts', regexes: [r`/-/g`], why: 'randomUUID()' },
  { file: 'src/admin/actions/payment-actions.service.ts', regexes: [r`/-/g`], why: 'randomUUID()' },
  { file: 'sandbox/sandbox-context.ts', regexes: [r`/-/g`], why: 'randomUUID()' },
  { file: 'sandbox/card-decision.ts', regexes: [r`/[^0-9]/g`], why: "the sandbox's own payment id" },
  { file: 'src/antom/request-time.ts', regexes: [r`/Z$/`], why: 'Date#toISOString()' },
  { file: 'src/admin/views/layout.ts', why: 'Date#toISOString()' },
  {
    file: 'src/admin/payments/admin-payments.repository.ts',
    regexes: [r`/\?/g`, r`/^[A-Z]{3}$/`],
    why: "the repository's own SQL text; a cursor segment decodeCursor already held to 3 letters",
  },
  { file: 'src/admin/export/csv.ts', regexes: [r`/[-:]/g`], why: 'Date#toISOString()' },
  { file: 'src/admin/views/admin-pages.view.ts', why: 'a TOTP secret the gateway generated' },
  { file: 'src/admin/auth/recovery-codes.ts', regexes: [r`/.{4}/g`], why: 'a recovery code the gateway generated' },
  { file: 'src/admin/views/payments.view.ts', why: "formatMinor's output (at most 25 characters)" },
  { file: 'src/admin/controllers/payments.controller.ts', regexes: [r`/,/g`], why: "formatMinor's output (at most 25 characters)" },
  { file: 'src/merchants/merchant-input.ts', regexes: [r`/private key was supplied/`], why: "Node's own error message" },
  {
    file: 'src/antom/card-numbers/card-brands.ts',
    regexes: [r`/^\d{12,19}$/`],
    why: 'isIssuable: called by no product code (card-numbers.spec.ts only; the scanner reads lengthMaskOf6); anchored and bounded anyway',
  },
  { file: 'src/audit/audit-key.ts', why: "the operator's audit key file (AUDIT_HMAC_KEY_FILE or the one the gateway wrote)" },
  { file: 'src/audit/audit-checkpoint.ts', why: "checkpoint lines the gateway appended to the operator's file; anchored, fixed-width fields" },
  { file: 'src/platform/operator/named-operator.ts', why: "the operator's own --actor argument or GATEWAY_ACTOR (CLI)" },
  {
    file: 'src/admin/auth/passwords.ts',
    regexes: [r`/\p{L}/u`, r`/\p{Nd}/u`],
    why: "a signed-in person's new password, at most 256 characters (checked first); one character class, no backtracking",
  },
  {
    file: 'src/platform/http/csp-report.ts',
    regexes: [r`/\s+/`],
    why: 'a directive name from a CSP report body of at most 8 KiB (the route refuses more); a single class, linear',
  },
];
