import { prefix } from './prefix';
import { sumBetween, sumFrom } from './window-sum';

const hoursOf = (d: { hours: number }) => d.hours;
const plain = (items: readonly { at: number; hours: number }[], from: number, to: number) => {
  let s = 0;
  for (const d of items) if (d.at >= from && d.at < to) s += d.hours;
  return s;
};

describe('sumBetween', () => {
  // Fractions whose sum depends on the order of addition: a memo must add the same terms in the same order.
  const days = Array.from({ length: 40 }, (_, i) => ({ at: i * 10, hours: 0.1 * ((i * 7) % 11) + 1e-9 * i }));

  it('equals a plain loop, bit for bit, on whole lists and on cuts', () => {
    for (const [from, to] of [
      [0, 400],
      [35, 155],
      [100, 101],
      [390, 1000],
      [-5, 0],
    ]) {
      expect(sumBetween(days, from, to, 'hours', hoursOf)).toBe(plain(days, from, to));
      for (const n of [0, 5, 16, 39]) {
        const cut = prefix(days, n);
        expect(sumBetween(cut, from, to, 'hours', hoursOf)).toBe(plain(cut, from, to));
      }
    }
  });

  it('a cut that ends inside the window sums only its own items, not the list it was cut from', () => {
    const cut = prefix(days, 12); // at 0 … 110
    expect(sumBetween(days, 50, 200, 'hours', hoursOf)).toBe(plain(days, 50, 200)); // the whole list's sum first
    expect(sumBetween(cut, 50, 200, 'hours', hoursOf)).toBe(plain(cut, 50, 200));
    expect(sumBetween(cut, 50, 200, 'hours', hoursOf)).not.toBe(plain(days, 50, 200));
  });

  it('keeps sums of different values over one list apart', () => {
    const twice = (d: { hours: number }) => 2 * d.hours;
    const a = sumBetween(days, 0, 100, 'hours', hoursOf);
    expect(sumBetween(days, 0, 100, 'double', twice)).toBe(plain(days, 0, 100) * 2);
    expect(sumBetween(days, 0, 100, 'hours', hoursOf)).toBe(a);
  });

  it('sums an unsorted list as it is (no shortcut through the list it was cut from)', () => {
    const shuffled = [30, 10, 20, 0].map((at) => ({ at, hours: at + 1 }));
    const cut = prefix(shuffled, 2); // at 30, 10; beyond the cut: 20, then 0 (inside [0, 15) though after 20)
    expect(sumBetween(cut, 0, 15, 'hours', hoursOf)).toBe(11);
  });
});

describe('sumFrom', () => {
  const days = Array.from({ length: 40 }, (_, i) => ({ at: i * 10, hours: 0.1 * ((i * 7) % 11) + 1e-9 * i }));
  const plainFrom = (items: readonly { at: number; hours: number }[], from: number) =>
    items.reduce((sum, d) => (d.at >= from ? sum + d.hours : sum), 0);

  it('equals a plain loop over the tail, bit for bit, on lists, cuts and unsorted lists', () => {
    const shuffled = [...days].reverse();
    for (const from of [-1, 0, 5, 150, 390, 391]) {
      expect(sumFrom(days, from, hoursOf)).toBe(plainFrom(days, from));
      for (const n of [0, 7, 20])
        expect(sumFrom(prefix(days, n), from, hoursOf)).toBe(plainFrom(prefix(days, n), from));
      expect(sumFrom(shuffled, from, hoursOf)).toBe(plainFrom(shuffled, from));
    }
  });
});
