/*
 * The outbox's SQL lives in outbox.repository.ts. This path stays for importers changed on other branches
 * (src/admin); once they import from the repository, this file goes.
 */
export { enqueueCtes, heldNotice, releaseHeldNoticeSql, retryNowSql } from './outbox.repository';
