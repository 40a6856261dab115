import { Secret, TOTP } from 'otpauth';
import * as QRCode from 'qrcode';

const PERIOD = 30;

function totp(secretBase32: string, label = 'admin'): TOTP {
  return new TOTP({ issuer: 'Card gateway admin', label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString();
}

/** The time step the code belongs to (±1 step of clock drift), or null when the code is wrong. */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, window: 1, timestamp: now });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/**
 * The otpauth:// URI as a QR code, an SVG document (served from the console itself: the CSP's img-src is
 * 'self' only, so no data: image). Only fill and stroke attributes: nothing a strict CSP would block.
 */
export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
