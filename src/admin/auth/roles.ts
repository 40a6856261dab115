import { SetMetadata } from '@nestjs/common';

export type AdminRole = 'viewer' | 'operator' | 'admin';
export const ROLES: AdminRole[] = ['viewer', 'operator', 'admin'];

export const ROLES_KEY = 'adminRoles';
/** Which roles may use a route; without it every signed-in role may. */
export const AllowRoles = (...roles: AdminRole[]) => SetMetadata(ROLES_KEY, roles);

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
