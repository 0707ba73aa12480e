import { clv, priority, urgency, valueAtRisk } from './clv';

describe('clv', () => {
  it('is m·r/(1+d−r) with a 10% default discount rate', () => {
    expect(clv({ margin12m: 1000, retention: 0.8 })).toBeCloseTo(800 / 0.3, 9); // 2666.67
    expect(clv({ margin12m: 1000, retention: 0.8, discountRate: 0.05 })).toBeCloseTo(3200, 9);
    expect(clv({ margin12m: 12_000, retention: 0.5 })).toBeCloseTo(10_000, 9);
    expect(clv({ margin12m: 1000, retention: 0 })).toBe(0);
    expect(clv({ margin12m: 1000, retention: 1 })).toBeCloseTo(10_000, 9);
  });

  it('rejects impossible inputs', () => {
    expect(() => clv({ margin12m: 1000, retention: 1.2 })).toThrow(RangeError);
    expect(() => clv({ margin12m: 1000, retention: 0.5, discountRate: -0.1 })).toThrow(RangeError);
    expect(() => clv({ margin12m: 1000, retention: 1, discountRate: 0 })).toThrow(RangeError);
    expect(() => clv({ margin12m: Number.NaN, retention: 0.5 })).toThrow(RangeError);
  });
});

describe('valueAtRisk', () => {
  it('is P(lapse) × CLV', () => {
    expect(valueAtRisk(0.25, 2000)).toBe(500);
    expect(valueAtRisk(0, 2000)).toBe(0);
    expect(() => valueAtRisk(1.5, 2000)).toThrow(RangeError);
  });
});

describe('priority', () => {
  it('is value at risk × reason weight without a warranty ending', () => {
    expect(priority({ valueAtRisk: 500, reasonWeight: 0.8 })).toBe(400);
  });

  it('doubles when a warranty ends within 30 days, inclusive', () => {
    expect(priority({ valueAtRisk: 500, reasonWeight: 0.8, warrantyEndsWithinDays: 30 })).toBe(800);
    expect(priority({ valueAtRisk: 500, reasonWeight: 0.8, warrantyEndsWithinDays: 0 })).toBe(800);
    expect(priority({ valueAtRisk: 500, reasonWeight: 0.8, warrantyEndsWithinDays: 31 })).toBe(400);
  });

  it('does not double for a warranty that has already ended', () => {
    expect(urgency(-1)).toBe(1);
    expect(urgency(undefined)).toBe(1);
    expect(urgency(30.5)).toBe(1);
  });
});
