import { sql, withCtes } from './sql';

describe('withCtes', () => {
  it('renumbers each part’s placeholders after the values of the parts before it', () => {
    const s = withCtes(
      [
        ['a', sql('INSERT INTO t (x, y) VALUES ($1, $2) RETURNING id', [1, 2])],
        ['b', sql('UPDATE u SET z = $1 WHERE id = $2', [3, 4])],
      ],
      sql('SELECT $1::int + $2::int', [5, 6]),
    );
    expect(s.text).toBe(
      'WITH a AS (INSERT INTO t (x, y) VALUES ($1, $2) RETURNING id), b AS (UPDATE u SET z = $3 WHERE id = $4) SELECT $5::int + $6::int',
    );
    expect(s.values).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('no parts: the final statement as written', () => {
    expect(withCtes([], sql('SELECT $1', [7]))).toEqual({ text: 'SELECT $1', values: [7] });
  });

  it('the same shape again (a kept text) gives the same text with this call’s values', () => {
    const build = (v: number) => withCtes([['a', sql(`SELECT $1${''}`, [v])]], sql('SELECT $1 FROM a', [v + 1]));
    const first = build(1);
    const again = build(10);
    expect(again.text).toBe(first.text);
    expect(again.values).toEqual([10, 11]);
  });

  it('the same texts with different value counts are different shapes (the offsets differ)', () => {
    const two = withCtes([['a', sql('SELECT $1', [1, 2])]], sql('SELECT $1', [3]));
    const one = withCtes([['a', sql('SELECT $1', [1])]], sql('SELECT $1', [3]));
    expect(two.text).toBe('WITH a AS (SELECT $1) SELECT $3');
    expect(one.text).toBe('WITH a AS (SELECT $1) SELECT $2');
  });

  it('past the kept shapes’ cap every statement is still renumbered right (nothing grows, nothing breaks)', () => {
    for (let i = 0; i < 600; i++) {
      const s = withCtes([[`c${i}`, sql(`SELECT $1 AS v${i}`, [i])]], sql(`SELECT $1, v${i} FROM c${i}`, [-i]));
      expect(s.text).toBe(`WITH c${i} AS (SELECT $1 AS v${i}) SELECT $2, v${i} FROM c${i}`);
      expect(s.values).toEqual([i, -i]);
    }
  });
});
