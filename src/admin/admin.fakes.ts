/*
 * Test data for the console's unit specs (*.spec.ts beside the services): an account, an actor, a payment
 * as the console reads it, an audit row as the audit log stores it. Not imported by production code;
 * `*.fakes.ts` is left out of the build (tsconfig.build.json).
 */
import type { AuditRow } from '../audit/audit.service';
import type { ApprovalRow } from './actions/admin-actions.repository';
import type { Actor } from './actions/payment-actions.service';
import type { AdminUser } from './auth/admin-users.service';
import type { AdminRole } from './auth/roles';
import type { AdminPaymentRow } from './payments/admin-payments.repository';
import type { AdminPayment } from './payments/admin-payments.service';

export const UUID = {
  alice: '00000000-0000-4000-8000-00000000a11c',
  bob: '00000000-0000-4000-8000-000000000b0b',
  carol: '00000000-0000-4000-8000-0000000ca201',
  approval: '11111111-1111-4111-8111-111111111111',
  payment: '22222222-2222-4222-8222-222222222222',
  merchant: '33333333-3333-4333-8333-333333333333',
};

export function anAdminUser(over: Partial<AdminUser> = {}): AdminUser {
  return {
    id: UUID.alice,
    username: 'alice',
    displayName: 'Alice',
    role: 'operator',
    passwordHash: '$argon2id$placeholder',
    mustChangePassword: false,
    totpSecret: null,
    totpLastStep: null,
    failedAttempts: 0,
    lockedUntil: null,
    disabled: false,
    lastLoginAt: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    enabledAt: null,
    previousPasswordHashes: [],
    ...over,
  };
}

export function anActor(role: AdminRole = 'operator', over: Partial<AdminUser> = {}): Actor {
  return { user: anAdminUser({ role, ...over }), ip: '192.0.2.7' };
}

/** An authorized, uncaptured EUR 100.00 payment (10000 minor units), nothing waiting for approval. */
export function anAdminPayment(over: Partial<AdminPayment> = {}): AdminPayment {
  return {
    id: UUID.payment,
    paymentId: 'gwp_1',
    paymentRequestId: 'req_1',
    merchantId: UUID.merchant,
    merchantClientId: 'SHOP_1',
    merchantName: 'Shop',
    status: 'AUTHORIZED',
    captureMode: 'MANUAL',
    currency: 'EUR',
    amount: 10_000n,
    authorizedAmount: 10_000n,
    capturedAmount: 0n,
    refundedAmount: 0n,
    capturable: 10_000n,
    refundable: 0n,
    pendingCapture: 0n,
    pendingRefund: 0n,
    dispute: null,
    upstreamPaymentId: 'up_1',
    notifyUrl: null,
    cardBin: '411111',
    cardLast4: '1111',
    cardBrand: 'VISA',
    referenceOrderId: 'order-1',
    orderDescription: null,
    referenceBuyerId: null,
    clientIp: null,
    resultStatus: 'S',
    resultCode: 'SUCCESS',
    resultMessage: 'success',
    paymentResultInfo: null,
    authExpiryTime: null,
    paymentTime: null,
    createdAt: new Date('2026-03-01T10:00:00Z'),
    ...over,
  };
}

/** The same payment as the repository's row (amounts as text). */
export function anAdminPaymentRow(over: Partial<AdminPaymentRow> = {}): AdminPaymentRow {
  return {
    id: UUID.payment,
    payment_id: 'gwp_1',
    payment_request_id: 'req_1',
    merchant_id: UUID.merchant,
    merchant_client_id: 'SHOP_1',
    merchant_name: 'Shop',
    status: 'AUTHORIZED',
    capture_mode: 'MANUAL',
    currency: 'EUR',
    amount: '10000',
    authorized_amount: '10000',
    captured_amount: '0',
    refunded_amount: '0',
    card_bin: '411111',
    card_last4: '1111',
    card_brand: 'VISA',
    reference_order_id: 'order-1',
    order_description: null,
    reference_buyer_id: null,
    client_ip: null,
    result_status: 'S',
    result_code: 'SUCCESS',
    result_message: 'success',
    payment_result_info: null,
    auth_expiry_time: null,
    payment_time: null,
    created_at: new Date('2026-03-01T10:00:00Z'),
    upstream_payment_id: 'up_1',
    payment_notify_url: null,
    pending: null,
    disputes: null,
    ...over,
  };
}

/** A four-eyes request as the repository reads it: Bob asks to capture EUR 600.00 of gwp_1. */
export function anApprovalRow(over: Partial<ApprovalRow> = {}): ApprovalRow {
  return {
    id: UUID.approval,
    action: 'CAPTURE',
    payment_uuid: UUID.payment,
    payment_id: 'gwp_1',
    currency: 'EUR',
    amount: '60000',
    request_id: `adm_cap_${'a'.repeat(32)}`,
    params: { isLastCapture: true },
    status: 'PENDING',
    requested_by: UUID.bob,
    requested_by_name: 'bob',
    requested_at: new Date('2026-03-01T10:00:00Z'),
    decided_by: null,
    decided_by_name: null,
    decided_at: null,
    result: null,
    expired: false,
    ...over,
  };
}

/** An audit_log row as AUDIT_COLUMNS reads it (id as text, for toAuditRow). */
export function anAuditDbRow(id: number | string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: String(id),
    occurred_at: new Date('2026-03-01T10:00:00Z'),
    actor_id: UUID.alice,
    actor: 'admin:alice',
    action: 'CAPTURE',
    target: 'gwp_1',
    ip: '192.0.2.7',
    outcome: 'SUCCESS',
    detail: null,
    prev_hash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...over,
  };
}

/** An AuditRow as AuditService.append answers it. */
export function anAuditRow(id: string, over: Partial<AuditRow> = {}): AuditRow {
  return {
    id,
    occurredAt: new Date('2026-03-01T10:00:00Z'),
    actorId: UUID.alice,
    actor: 'admin:alice',
    action: 'CAPTURE',
    target: 'gwp_1',
    ip: '192.0.2.7',
    outcome: 'SUCCESS',
    detail: null,
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...over,
  };
}
