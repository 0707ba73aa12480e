import { bgNbdLogLikelihood, DEFAULT_LOG_BOUND, fitBgNbd, pAlive, type Rfm } from '@rp/value';
import { seededRandom } from './spec-helpers';

/**
 * Customers who all keep buying until the cut-off, Poisson-like at their own rates: no sign of dropout, so the
 * likelihood has no finite optimum (it creeps up as a → 0, b → ∞). Shaped like a dealer's fleet: ~300 customers,
 * first purchases up to a year back, a purchase every 2–12 weeks.
 */
function loyalFleet(n: number, seed: number): Rfm[] {
  const rand = seededRandom(seed);
  const out: Rfm[] = [];
  for (let i = 0; i < n; i++) {
    const T = 8 + Math.floor(rand() * 44 * 7) / 7;
    const gap = 2 + rand() * 10;
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += gap * (0.5 + rand());
      if (t > T) break;
      x++;
      tx = Math.round(t * 7) / 7;
    }
    out.push({ x, tx: x === 0 ? 0 : tx, T });
  }
  return out;
}

describe('BG/NBD fit bounded in log space', () => {
  it('stops at the corner of the box on a history without dropout, quickly, with P(alive) ≈ 1', () => {
    const fleet = loyalFleet(300, 7);
    const fit = fitBgNbd(fleet);
    expect(fit.converged).toBe(true);
    // Unbounded, a history like this ran for 11,000–12,000 iterations and did not converge.
    expect(fit.iterations).toBeLessThan(5_000);
    expect(Math.log(fit.a)).toBeCloseTo(-DEFAULT_LOG_BOUND, 1);
    expect(Math.log(fit.b)).toBeCloseTo(DEFAULT_LOG_BOUND, 1);
    for (const c of fleet) expect(pAlive(fit, c)).toBeGreaterThan(0.99);
  });

  it('finds no better point inside the box than its answer, and is no worse than an unbounded search', () => {
    const fleet = loyalFleet(300, 11);
    const bounded = fitBgNbd(fleet);
    const wide = fitBgNbd(fleet, { logBound: 30 });
    // The wide search creeps further along the valley: better, but by less than 0.01 in log-likelihood.
    expect(wide.logLikelihood - bounded.logLikelihood).toBeLessThan(0.01);
    const inside = { ...bounded, a: bounded.a * 1.5, b: bounded.b / 1.5 };
    expect(bgNbdLogLikelihood(inside, fleet)).toBeLessThan(bounded.logLikelihood);
  });

  it('rejects a bound that is not positive, naming it', () => {
    expect(() => fitBgNbd([{ x: 1, tx: 1, T: 2 }], { logBound: 0 })).toThrow(/logBound must be positive/);
    expect(() => fitBgNbd([{ x: 1, tx: 1, T: 2 }], { logBound: Number.NaN })).toThrow(/logBound/);
  });
});
