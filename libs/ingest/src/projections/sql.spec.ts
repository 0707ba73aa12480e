import { arrayLiteral, collapse } from './sql';

describe('arrayLiteral', () => {
  it('quotes every string and escapes quotes and backslashes only', () => {
    expect(arrayLiteral(['a', 'b"c', 'd\\e', '', 'NULL', 'x,{y}'])).toBe(
      '{"a","b\\"c","d\\\\e","","NULL","x,{y}"}',
    );
  });

  it('writes null and undefined as NULL, numbers and booleans bare, dates as ISO instants', () => {
    expect(arrayLiteral([null, undefined, 1.5, -2, 10n, true, false])).toBe('{NULL,NULL,1.5,-2,10,t,f}');
    expect(arrayLiteral([new Date('2026-03-04T01:02:03.004Z')])).toBe('{"2026-03-04T01:02:03.004Z"}');
    expect(arrayLiteral([])).toBe('{}');
  });
});

describe('collapse', () => {
  it('folds rows sharing a key in input order and returns one per key, in key order', () => {
    const rows = [
      ['d1', 'b', 1],
      ['d1', 'a', 2],
      ['d0', 'z', 3],
      ['d1', 'b', 4],
    ];
    const folded = collapse(
      rows,
      (r) => `${String(r[0])}\u0000${String(r[1])}`,
      (acc, next) => [acc[0], acc[1], `${String(acc[2])}+${String(next[2])}`],
    );
    expect(folded).toEqual([
      ['d0', 'z', 3],
      ['d1', 'a', 2],
      ['d1', 'b', '1+4'],
    ]);
  });
});
