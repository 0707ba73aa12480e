import { earlierAfter, nextAfter } from './time';

describe('nextAfter / earlierAfter', () => {
  const asOf = 1_000;

  it('takes the earliest finite instant strictly after asOf; null when none', () => {
    expect(nextAfter(asOf, 5_000, null, 2_000, undefined, 3_000)).toBe(2_000);
    expect(nextAfter(asOf, asOf, 999, Infinity, NaN, null)).toBeNull();
    expect(nextAfter(asOf)).toBeNull();
  });

  it('folding earlierAfter over the instants gives nextAfter of them all', () => {
    const lists = [
      [5_000, 2_000, 3_000],
      [asOf, 1_001, -Infinity],
      [null, undefined, Infinity],
      [7_000, 7_000, 6_999.5, NaN],
    ];
    for (const xs of lists) {
      expect(xs.reduce<number | null>((best, t) => earlierAfter(asOf, best, t), null)).toBe(
        nextAfter(asOf, ...xs),
      );
    }
    // A running best is kept when the next instant is not earlier, or not after asOf.
    expect(earlierAfter(asOf, 2_000, 3_000)).toBe(2_000);
    expect(earlierAfter(asOf, 2_000, 500)).toBe(2_000);
    expect(earlierAfter(asOf, 2_000, 1_500)).toBe(1_500);
  });
});
