import { inspect } from 'node:util';

import { Secret } from './secret';

describe('Secret', () => {
  const bytes = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const secret = new Secret(bytes);

  it('reveals the value only through reveal()', () => {
    expect(secret.reveal()).toBe(bytes);
  });

  it.each([
    ['String()', () => String(secret)],
    ['template literal', () => `${secret}`],
    ['concatenation', () => 'k=' + secret],
    ['JSON.stringify', () => JSON.stringify(secret)],
    ['JSON.stringify nested', () => JSON.stringify({ kek: { key: secret } })],
    ['util.inspect', () => inspect(secret)],
    ['util.inspect nested, showHidden', () => inspect({ a: [secret] }, { showHidden: true, depth: 10 })],
    ['Object.keys / spread', () => JSON.stringify({ ...secret, keys: Object.keys(secret) })],
  ])('does not print through %s', (_how, render) => {
    const text = render();
    expect(text).not.toContain('0011223344');
    expect(text).not.toContain(bytes.toString('base64').slice(0, 8));
    expect(text).not.toMatch(/\b0, 17, 34\b|\b00 11 22\b/);
  });

  it('renders as [REDACTED]', () => {
    expect(String(secret)).toBe('[REDACTED]');
    expect(`${secret}`).toBe('[REDACTED]');
    expect(JSON.stringify(secret)).toBe('"[REDACTED]"');
    expect(inspect(secret)).toBe('[REDACTED]');
  });

  it('hides string secrets too', () => {
    const password = new Secret('hunter2-password');
    expect(`${password} ${JSON.stringify({ password })} ${inspect({ password })}`).not.toContain('hunter2');
  });
});
