import { withoutNulls } from './primitives';

describe('withoutNulls', () => {
  it('returns the very input when it holds no null (no copy)', () => {
    const input = { a: 1, b: { c: [1, { d: 'x' }] } };
    expect(withoutNulls(input)).toBe(input);
  });

  it('drops null properties at any of the four levels, keeps null array items and the input unchanged', () => {
    const input = { a: null, b: { c: null, e: [{ f: null, g: 1 }, null] }, h: 2 };
    const copy = JSON.parse(JSON.stringify(input)) as unknown;
    expect(withoutNulls(input)).toEqual({ b: { e: [{ g: 1 }, null] }, h: 2 });
    expect(input).toEqual(copy);
  });

  it('leaves nulls deeper than the bound alone', () => {
    const deep = { a: { b: { c: { d: { e: null } } } } };
    expect(withoutNulls(deep)).toBe(deep);
  });
});
