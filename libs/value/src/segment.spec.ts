import { segment, segmentsOf, type SegmentFacts } from './segment';

const quiet: SegmentFacts = {
  clvPercentile: 0.5,
  pAlive: 0.9,
  captureRate: 0.8,
  fleetHoursLast30d: 40,
  hasSpendErosion: false,
  hasAliveDrop: false,
  daysSinceLastPurchase: 20,
};

describe('segment', () => {
  it('is null when no segment applies', () => {
    expect(segment(quiet)).toBeNull();
  });

  it('high-value needs top-decile CLV and P(alive) ≥ 0.7', () => {
    expect(segment({ ...quiet, clvPercentile: 0.9, pAlive: 0.7 })).toBe('high-value');
    expect(segment({ ...quiet, clvPercentile: 0.89, pAlive: 0.95 })).toBeNull();
    expect(segment({ ...quiet, clvPercentile: 0.99, pAlive: 0.69 })).toBeNull();
  });

  it('potential needs low capture and a busy fleet', () => {
    expect(segment({ ...quiet, captureRate: 0.2, fleetHoursLast30d: 150 })).toBe('potential');
    expect(segment({ ...quiet, captureRate: 0.2, fleetHoursLast30d: 149 })).toBeNull();
    expect(segment({ ...quiet, captureRate: 0.5, fleetHoursLast30d: 300 })).toBeNull();
  });

  it('migrating on spend erosion or an alive-probability drop', () => {
    expect(segment({ ...quiet, hasSpendErosion: true })).toBe('migrating');
    expect(segment({ ...quiet, hasAliveDrop: true })).toBe('migrating');
  });

  it('frozen after 365 days without a purchase, or never', () => {
    expect(segment({ ...quiet, daysSinceLastPurchase: 365 })).toBe('frozen');
    expect(segment({ ...quiet, daysSinceLastPurchase: 364 })).toBeNull();
    expect(segment({ ...quiet, daysSinceLastPurchase: Number.POSITIVE_INFINITY })).toBe('frozen');
  });

  it('applies precedence frozen > migrating > high-value > potential', () => {
    const everything: SegmentFacts = {
      clvPercentile: 0.95,
      pAlive: 0.8,
      captureRate: 0.1,
      fleetHoursLast30d: 400,
      hasSpendErosion: true,
      hasAliveDrop: false,
      daysSinceLastPurchase: 400,
    };
    expect(segmentsOf(everything)).toEqual(['frozen', 'migrating', 'high-value', 'potential']);
    expect(segment(everything)).toBe('frozen');
    expect(segment({ ...everything, daysSinceLastPurchase: 10 })).toBe('migrating');
    expect(segment({ ...everything, daysSinceLastPurchase: 10, hasSpendErosion: false })).toBe('high-value');
  });

  it('never puts a customer in a segment on an unknown figure', () => {
    expect(segment({ ...quiet, clvPercentile: null, pAlive: 0.95 })).toBeNull();
    expect(segment({ ...quiet, clvPercentile: 0.95, pAlive: null })).toBeNull();
    expect(segment({ ...quiet, captureRate: null, fleetHoursLast30d: 400 })).toBeNull();
    expect(segment({ ...quiet, captureRate: 0.1, fleetHoursLast30d: null })).toBeNull();
    expect(segment({ ...quiet, daysSinceLastPurchase: null })).toBeNull();
    expect(segment({ ...quiet, daysSinceLastPurchase: null, hasAliveDrop: true })).toBe('migrating');
  });

  it('accepts overridden thresholds', () => {
    expect(segment({ ...quiet, captureRate: 0.2, fleetHoursLast30d: 100 }, { busyFleetHours: 100 })).toBe(
      'potential',
    );
  });
});
