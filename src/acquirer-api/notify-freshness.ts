import { parseRequestTime } from '../antom/request-time';

/**
 * Replay window for the acquirer's notifications: a signed notification whose Request-Time does not
 * parse, or lies outside ±window of now, is not applied (a 30-day-old signed result must not move
 * money or state today). It is still acknowledged with Antom's fixed ack, since any other answer makes
 * Antom send it again and again; the truth is fetched by inquiry instead (the payment is scheduled for
 * reconciliation at once, which also settles its open captures and refunds: AcquirerNotificationsService.inquireInstead).
 */
export function staleNotifyTime(requestTime: string | undefined, windowSeconds: number, now = Date.now()): string | null {
  const at = parseRequestTime(requestTime);
  if (at === null) return 'unparsable Request-Time';
  if (Math.abs(now - at) > windowSeconds * 1000) return `Request-Time outside the ${windowSeconds} s window`;
  return null;
}
