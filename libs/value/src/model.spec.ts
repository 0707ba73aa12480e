import { bgNbdLogLikelihood } from './bg-nbd';
import { fitModel } from './model';
import { simulateBgNbd } from './spec-helpers';
import { summarisePurchases } from './summarise';

const ASOF = Date.parse('2024-06-30T00:00:00Z');
const TRUTH = { r: 0.5, alpha: 8, a: 0.7, b: 2.5 };

describe('fitModel', () => {
  const purchases = simulateBgNbd(TRUTH, 3000, ASOF, 42);
  const model = fitModel('dealer-7', purchases, ASOF);

  it('describes the fit', () => {
    expect(model.dealerId).toBe('dealer-7');
    expect(model.fittedAsOf).toBe('2024-06-30T00:00:00.000Z');
    expect(model.customers).toBe(3000);
    expect(model.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('recovers the simulating parameters', () => {
    const { r, alpha, a, b } = model.params;
    expect(Math.abs(r / TRUTH.r - 1)).toBeLessThan(0.1);
    expect(Math.abs(alpha / TRUTH.alpha - 1)).toBeLessThan(0.1);
    // a and b are strongly correlated in finite samples; their mean dropout probability is well identified.
    expect(Math.abs(a / (a + b) / (TRUTH.a / (TRUTH.a + TRUTH.b)) - 1)).toBeLessThan(0.15);
    const summary = summarisePurchases(purchases, ASOF);
    expect(bgNbdLogLikelihood(model.params, summary)).toBeGreaterThan(bgNbdLogLikelihood(TRUTH, summary));
  });

  it('is deterministic and independent of event order', () => {
    expect(fitModel('dealer-7', [...purchases].reverse(), ASOF)).toEqual(model);
  });

  it('changes version with the dealer, the asOf or the history', () => {
    expect(fitModel('dealer-8', purchases, ASOF).version).not.toBe(model.version);
    const dayLater = ASOF + 86_400_000;
    expect(fitModel('dealer-7', purchases, dayLater).version).not.toBe(model.version);
    const extra = [...purchases, { customerId: 'c00000', at: ASOF - 1 }];
    expect(fitModel('dealer-7', extra, ASOF).version).not.toBe(model.version);
  });

  it('keeps the version when only events after asOf or same-day duplicates are added', () => {
    const later = [
      ...purchases,
      { customerId: 'c00001', at: ASOF + 1 },
      { ...purchases[0], at: purchases[0].at + 1 },
    ];
    expect(fitModel('dealer-7', later, ASOF).version).toBe(model.version);
  });
});
