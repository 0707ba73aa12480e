import { arrayLiteral } from './sql';

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
