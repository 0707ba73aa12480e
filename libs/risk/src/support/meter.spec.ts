import type { MeterReading } from '../model/machine-state';
import { firstReaching, hoursRun, meterAt, usageRatePerDay } from './meter';
import { gte } from './numbers';
import { prefix } from './prefix';

/** meterAt as a plain scan: the highest reading before the first one later than `t`. */
function scan(readings: readonly MeterReading[], t: number): number | undefined {
  let best: number | undefined;
  for (const r of readings) {
    if (r.at > t) break;
    if (best === undefined || r.hours > best) best = r.hours;
  }
  return best;
}

describe('meterAt', () => {
  const r = (at: number, hours: number): MeterReading => ({ at, hours, eventId: `t-${at}` });

  it('is the highest reading at or before the instant, undefined before the first', () => {
    const readings = [r(10, 100), r(20, 90), r(30, 120), r(30, 125), r(40, 130)];
    expect(meterAt(readings, 9)).toBeUndefined();
    expect(meterAt(readings, 10)).toBe(100);
    expect(meterAt(readings, 25)).toBe(100); // the lower reading is a glitch
    expect(meterAt(readings, 30)).toBe(125);
    expect(meterAt(readings, 1e15)).toBe(130);
    expect(meterAt([], 10)).toBeUndefined();
  });

  it('answers as the scan does for sorted and unsorted lists, asked many times', () => {
    // 300 lists of 0–39 readings with scattered times and values (repeats included), half of them sorted.
    for (let n = 0; n < 300; n++) {
      const readings = Array.from({ length: n % 40 }, (_, i) =>
        r((i * 37 + n * 13) % 100, (i * 53 + n * 7) % 1000),
      );
      if (n % 2 === 0) readings.sort((a, b) => a.at - b.at);
      for (let t = -10; t <= 110; t += 7) expect(meterAt(readings, t)).toBe(scan(readings, t));
    }
  });

  it('answers for a prefix (an as-of view) as for a fresh copy of it, after the whole list was asked', () => {
    for (let n = 1; n < 120; n++) {
      const whole = Array.from({ length: n % 30 }, (_, i) =>
        r((i * 37 + n * 13) % 100, (i * 53 + n * 7) % 1000),
      );
      if (n % 2 === 0) whole.sort((a, b) => a.at - b.at);
      for (let t = -10; t <= 110; t += 11) meterAt(whole, t); // running maxima of the whole list built first
      for (let k = 0; k <= whole.length; k++) {
        const cut = prefix(whole, k);
        const cutOfCut = prefix(cut, Math.floor(k / 2));
        for (let t = -10; t <= 110; t += 7) {
          expect(meterAt(cut, t)).toBe(scan(whole.slice(0, k), t));
          expect(meterAt(cutOfCut, t)).toBe(scan(whole.slice(0, Math.floor(k / 2)), t));
        }
      }
    }
  });

  it('gives hoursRun over a window from the maxima at its ends', () => {
    const readings = [r(0, 100), r(10, 110), r(20, 105), r(30, 140)];
    expect(hoursRun(readings, 5, 25)).toBe(10);
    expect(hoursRun(readings, -10, 40)).toBe(40);
    expect(hoursRun(readings, 31, 40)).toBe(0);
  });
});

describe('firstReaching', () => {
  const r = (at: number, hours: number): MeterReading => ({ at, hours, eventId: `t-${at}` });
  /** The plain scan it replaced. */
  const scanFirst = (readings: readonly MeterReading[], hours: number) =>
    readings.find((x) => gte(x.hours, hours));

  it('is the first reading in list order at or above the level (float noise tolerated), glitches skipped', () => {
    const readings = [r(10, 100), r(20, 90), r(30, 550.0000000000001), r(40, 549.9999999995), r(50, 600)];
    expect(firstReaching(readings, 95)).toBe(readings[0]);
    expect(firstReaching(readings, 100.5)).toBe(readings[2]);
    expect(firstReaching(readings, 1.1 * 500)).toBe(readings[2]);
    expect(firstReaching(readings, 599.9999999999)).toBe(readings[4]);
    expect(firstReaching(readings, 600.1)).toBeUndefined();
    expect(firstReaching([], 0)).toBeUndefined();
  });

  it('answers as the scan does for lists with lower readings, their prefixes, and levels on and between values', () => {
    for (let n = 0; n < 200; n++) {
      const whole = Array.from({ length: n % 45 }, (_, i) =>
        r(i * 10, ((i * 53 + n * 7) % 97) + (i % 5 === 0 ? 0.5 : 0) + i * (n % 3)),
      );
      const levels = [-1, 0, ...whole.map((x) => x.hours), ...whole.map((x) => x.hours + 0.25), 1e9];
      for (const level of levels) expect(firstReaching(whole, level)).toBe(scanFirst(whole, level));
      for (let k = 0; k <= whole.length; k += 3) {
        const cut = prefix(whole, k);
        for (const level of levels) expect(firstReaching(cut, level)).toBe(scanFirst(cut, level));
      }
    }
  });
});

describe('usageRatePerDay', () => {
  const DAY = 86_400_000;
  const r = (day: number, hours: number): MeterReading => ({ at: day * DAY, hours, eventId: `t-${day}` });

  it('runs from the last reading at or before the window start to the latest one', () => {
    const readings = [r(0, 0), r(10, 50), r(20, 100), r(25, 150), r(30, 160)];
    expect(usageRatePerDay(readings, 10)).toBe(6); // day 20 → 30: 60 h in 10 days
    expect(usageRatePerDay(readings, 12)).toBeCloseTo(110 / 20); // day 10 → 30 (the last one at or before 18)
    expect(usageRatePerDay(readings, 100)).toBeCloseTo(160 / 30); // nothing before the window: the first
    expect(usageRatePerDay([r(5, 10)], 10)).toBeNull();
  });
});
