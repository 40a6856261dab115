/*
 * A merchant's settings as words (their own file: the repository that stores them and the admin service that
 * changes them both speak them, and neither imports the other's file).
 */
export type MerchantStatus = 'ACTIVE' | 'SUSPENDED';
export type AvsPolicy = 'ACCEPT' | 'REVIEW' | 'VOID';
export type AuthExpiryPolicy = 'CAPTURE' | 'VOID' | 'EXPIRE';

export interface MerchantChanges {
  name?: string;
  notifyUrl?: string | null;
  avsPolicy?: AvsPolicy;
  authExpiryPolicy?: AuthExpiryPolicy;
  status?: MerchantStatus;
}
