import { summarisePurchases, DAY_MS } from './summarise';

const at = (iso: string): number => Date.parse(iso);

describe('summarisePurchases', () => {
  const asOf = at('2024-03-29T00:00:00Z');
  const purchases = [
    // c1: first purchase 1 Jan, a second one the same day (not a repeat), repeats on 15 Jan and 29 Jan.
    { customerId: 'c1', at: at('2024-01-01T08:00:00Z') },
    { customerId: 'c1', at: at('2024-01-01T17:00:00Z') },
    { customerId: 'c1', at: at('2024-01-29T08:00:00Z') },
    { customerId: 'c1', at: at('2024-01-15T08:00:00Z') },
    // c2: a single purchase on 15 Mar, and one after asOf that must be ignored.
    { customerId: 'c2', at: at('2024-03-15T00:00:00Z') },
    { customerId: 'c2', at: at('2024-04-02T00:00:00Z') },
    // c0: only after asOf: omitted.
    { customerId: 'c0', at: at('2024-05-01T00:00:00Z') },
  ];

  it('counts repeat purchase days and measures t_x and T in weeks', () => {
    expect(summarisePurchases(purchases, asOf)).toEqual([
      { customerId: 'c1', x: 2, tx: 4, T: 88 / 7 - 8 / (24 * 7) },
      { customerId: 'c2', x: 0, tx: 0, T: 2 },
    ]);
  });

  it('measures in days on request', () => {
    const [c1, c2] = summarisePurchases(purchases, asOf, 'day');
    expect(c1).toEqual({ customerId: 'c1', x: 2, tx: 28, T: 88 - 8 / 24 });
    expect(c2).toEqual({ customerId: 'c2', x: 0, tx: 0, T: 14 });
  });

  it('does not depend on input order and groups by UTC day', () => {
    const reversed = summarisePurchases([...purchases].reverse(), asOf);
    expect(reversed).toEqual(summarisePurchases(purchases, asOf));
    const aroundMidnight = [
      { customerId: 'c', at: 10 * DAY_MS - 1 },
      { customerId: 'c', at: 10 * DAY_MS },
    ];
    expect(summarisePurchases(aroundMidnight, 11 * DAY_MS, 'day')).toEqual([
      { customerId: 'c', x: 1, tx: 1 / DAY_MS, T: 1 + 1 / DAY_MS },
    ]);
  });

  it('returns nothing for no purchases', () => {
    expect(summarisePurchases([], asOf)).toEqual([]);
  });
});
