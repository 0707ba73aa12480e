import { hyp2f1, lnBeta, lnGamma } from './gamma';

describe('lnGamma', () => {
  it.each([
    [1, 0],
    [2, 0],
    [0.5, 0.5 * Math.log(Math.PI)],
    [10, Math.log(362880)],
    [100, 359.1342053695754],
    [0.1, 2.252712651734206],
  ])('lnGamma(%d) = %d', (x, expected) => {
    expect(lnGamma(x)).toBeCloseTo(expected, 10);
  });

  it('is NaN outside its domain', () => {
    expect(lnGamma(0)).toBeNaN();
    expect(lnGamma(-1.5)).toBeNaN();
  });

  it('lnBeta(2, 3) = ln(1/12)', () => {
    expect(lnBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 12);
  });
});

describe('hyp2f1', () => {
  it('matches −ln(1 − z)/z for 2F1(1, 1; 2; z)', () => {
    for (const z of [0.1, 0.5, 0.9]) expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
  });

  it('is 1 at z = 0 and NaN outside [0, 1)', () => {
    expect(hyp2f1(3, 4, 5, 0)).toBe(1);
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
  });
});
