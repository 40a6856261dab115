import { SetMetadata } from '@nestjs/common';

export type AdminRole = 'viewer' | 'operator' | 'admin';
export const ROLES: AdminRole[] = ['viewer', 'operator', 'admin'];

export const ROLES_KEY = 'adminRoles';
/**
 * Which roles may use a route. PCI DSS 7.2 / 7.3.3, deny by default: a guarded route without a declaration is
 * refused to everyone (AdminGuard), and the architecture test fails on it before it ships.
 */
export const AllowRoles = (...roles: AdminRole[]) => SetMetadata(ROLES_KEY, roles);
/** The explicit "any signed-in person" marker: the person's own account pages (password, TOTP, sign-out). */
export const AllowAnySignedIn = () => SetMetadata(ROLES_KEY, [...ROLES]);
/** Pages every role reads (lists, details, the audit log): the same set as AllowAnySignedIn, said as roles. */
export const READ_ROLES: AdminRole[] = ['viewer', 'operator', 'admin'];

/** Routes reached without a session (sign-in pages, static assets): no AdminGuard on their controller. */
export const PUBLIC_ROUTE = 'adminPublicRoute';
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

/** Routes a signed-in user may reach before the forced password change. */
export const ALLOW_BEFORE_PASSWORD_CHANGE = 'adminAllowBeforePasswordChange';
export const AllowBeforePasswordChange = () => SetMetadata(ALLOW_BEFORE_PASSWORD_CHANGE, true);

/** Routes a signed-in user may reach before enrolling a second factor, when ADMIN_REQUIRE_MFA is on. */
export const ALLOW_BEFORE_MFA_ENROLMENT = 'adminAllowBeforeMfaEnrolment';
export const AllowBeforeMfaEnrolment = () => SetMetadata(ALLOW_BEFORE_MFA_ENROLMENT, true);

export const MONEY_ROLES: AdminRole[] = ['operator', 'admin'];

export function isRole(v: unknown): v is AdminRole {
  return typeof v === 'string' && (ROLES as string[]).includes(v);
}
