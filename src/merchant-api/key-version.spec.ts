import { keyVersionOf } from './key-version';

describe('keyVersionOf', () => {
  it('reads a plain positive integer, wherever the part stands', () => {
    expect(keyVersionOf('algorithm=RSA256,keyVersion=1,signature=abc')).toBe(1);
    expect(keyVersionOf('signature=abc, keyVersion=12, algorithm=RSA256')).toBe(12);
    expect(keyVersionOf('algorithm=RSA256,KEYVERSION=3,signature=abc')).toBe(3);
  });

  it('is absent when the header names none or an empty one (the latest key applies)', () => {
    expect(keyVersionOf('algorithm=RSA256,signature=abc')).toBeUndefined();
    expect(keyVersionOf('algorithm=RSA256,keyVersion=,signature=abc')).toBeUndefined();
    expect(keyVersionOf(undefined)).toBeUndefined();
  });

  it.each(['1.0', '0x1', '+1', ' 1', '1 ', '01', '1e0', '0', '-1', '١', '1234567890', 'one'])('refuses %j (null, never key 1)', (v) => {
    expect(keyVersionOf(`algorithm=RSA256,keyVersion=${v},signature=abc`)).toBeNull();
  });

  it('takes the first keyVersion, as the signature parser takes the first of each part', () => {
    expect(keyVersionOf('algorithm=RSA256,keyVersion=x,keyVersion=1,signature=abc')).toBeNull();
  });
});
