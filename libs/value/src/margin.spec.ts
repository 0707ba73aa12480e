import { trailingMargin, twelveMonthsBefore, type MarginLine } from './margin';

const at = (iso: string): number => Date.parse(iso);
const rates = { parts: 0.3, labour: 0.6 };

describe('trailingMargin', () => {
  const asOf = at('2024-06-30T12:00:00Z');
  const lines: MarginLine[] = [
    { at: at('2024-06-01T00:00:00Z'), amount: 1000, kind: 'parts' }, // 300 from the parts rate
    { at: at('2024-05-01T00:00:00Z'), amount: 500, kind: 'labour' }, // 300 from the labour rate
    { at: at('2024-04-01T00:00:00Z'), amount: 2000, kind: 'parts', grossProfit: 450 }, // 450 as reported
    { at: at('2024-03-01T00:00:00Z'), amount: 800, kind: 'labour', grossProfit: -100 }, // loss counts
    { at: at('2023-06-30T12:00:00Z'), amount: 9999, kind: 'parts' }, // exactly 12 months back: excluded
    { at: at('2024-07-01T00:00:00Z'), amount: 9999, kind: 'parts' }, // after asOf: excluded
  ];

  it('sums grossProfit where reported and rate × amount otherwise, over (asOf − 12 months, asOf]', () => {
    expect(trailingMargin(lines, asOf, rates)).toBeCloseTo(950, 9);
  });

  it('includes a sale one millisecond inside the window and one exactly at asOf', () => {
    const edge: MarginLine[] = [
      { at: at('2023-06-30T12:00:00.001Z'), amount: 100, kind: 'parts' },
      { at: asOf, amount: 100, kind: 'labour' },
    ];
    expect(trailingMargin(edge, asOf, rates)).toBeCloseTo(90, 9);
  });

  it('goes back 12 calendar months in UTC', () => {
    expect(new Date(twelveMonthsBefore(asOf)).toISOString()).toBe('2023-06-30T12:00:00.000Z');
  });
});
