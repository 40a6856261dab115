import { decodeCursor, encodeCursor } from './payment-cursor';

const ID = '0b7e1d2c-1f4a-4c3e-9d51-6a0f3b2c1d4e';

describe('payment list cursor', () => {
  it('round-trips the segment and the order values as PostgreSQL printed them (microseconds kept)', () => {
    for (const c of [
      { seg: 'all', values: ['2026-03-01 10:00:00.123456+00', ID] },
      { seg: 'cap', values: ['infinity', ID] },
      { seg: 'JPY', values: ['9007199254740993', '2026-03-01 10:00:00+00', ID] },
    ])
      expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it('refuses anything it did not make: other segments, values, shapes, lengths, characters', () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of [
      'abc',
      enc(['all', "1' OR 1=1", ID]),
      enc(['nope', '2026-03-01 10:00:00+00', ID]),
      enc(['all', ID]),
      enc(['all', 1, ID]),
      enc({ seg: 'all' }),
      enc(['all', '2026-03-01 10:00:00+00', ID, ID, ID]),
      'a'.repeat(401),
      'not base64!',
    ])
      expect(decodeCursor(bad)).toBeNull();
  });
});
