import { buyerEnv } from './buyer-env';
import { normalizeOrigin } from './origins';

describe('normalizeOrigin', () => {
  it.each([
    ['https://shop.example', 'https://shop.example'],
    ['https://shop.example/', 'https://shop.example'],
    ['https://shop.example:8443', 'https://shop.example:8443'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['http://localhost:3000', 'http://localhost:3000'],
  ])('accepts %s', (input, out) => expect(normalizeOrigin(input)).toBe(out));

  it.each([
    'http://shop.example', // clear text outside loopback
    'https://shop.example/checkout',
    'https://user:pw@shop.example',
    'https://*.shop.example',
    "https://shop.example; script-src 'unsafe-inline'",
    'https://shop.example https://evil.example',
    'javascript:alert(1)',
    '*',
    '',
    42,
    undefined,
  ])('refuses %p', (input) => expect(normalizeOrigin(input)).toBeNull());
});

describe('buyerEnv', () => {
  it('takes headers and IP from the server and clamps what the page sent', () => {
    const env = buyerEnv(
      { language: 'de-DE', javaEnabled: false, colorDepth: 24, screenHeight: 800, screenWidth: 1280, timeZoneOffset: -540 },
      { acceptHeader: 'text/html', userAgent: 'Chrome/1', clientIp: '203.0.113.9' },
    );
    expect(env).toEqual({
      terminalType: 'WEB',
      clientIp: '203.0.113.9',
      colorDepth: 24,
      screenHeight: 800,
      screenWidth: 1280,
      timeZoneOffset: -540,
      browserInfo: { acceptHeader: 'text/html', javaEnabled: false, javaScriptEnabled: true, language: 'de-DE', userAgent: 'Chrome/1' },
    });
  });

  it('drops junk from the browser side', () => {
    const env = buyerEnv(
      { language: '<script>', colorDepth: 1e9, screenWidth: 1.5, timeZoneOffset: '0' as unknown as number, javaEnabled: 'yes' },
      {},
    );
    expect(env).toEqual({ terminalType: 'WEB', browserInfo: { javaEnabled: false, javaScriptEnabled: true } });
  });
});
