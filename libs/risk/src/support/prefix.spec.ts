import { prefix, rootOf } from './prefix';

describe('prefix', () => {
  const list = Object.freeze([1, 2, 3, 4, 5]);

  it('cuts the first n items and remembers the list they were cut from', () => {
    const cut = prefix(list, 3);
    expect(cut).toEqual([1, 2, 3]);
    expect(rootOf(cut)).toBe(list);
    expect(rootOf(prefix(cut, 2))).toBe(list);
  });

  it('cut again at the same length, is the same array; at another length, a new one', () => {
    const a = prefix(list, 2);
    expect(prefix(list, 2)).toBe(a);
    const b = prefix(list, 4);
    expect(b).not.toBe(a);
    expect(b).toEqual([1, 2, 3, 4]);
    expect(prefix(list, 2)).toEqual([1, 2]);
  });

  it('the whole list (or more) is the list itself', () => {
    expect(prefix(list, 5)).toBe(list);
    expect(prefix(list, 9)).toBe(list);
    expect(prefix(list, 0)).toEqual([]);
  });
});
