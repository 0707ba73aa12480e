import type { MeterReading } from '../model/machine-state';
import { hoursRun, meterAt } from './meter';

/** meterAt as a plain scan: the highest reading before the first one later than `t`. */
function scan(readings: readonly MeterReading[], t: number): number | undefined {
  let best: number | undefined;
  for (const r of readings) {
    if (r.at > t) break;
    if (best === undefined || r.hours > best) best = r.hours;
  }
  return best;
}

/** mulberry32: deterministic test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
    const rnd = prng(7);
    for (let n = 0; n < 300; n++) {
      const length = Math.floor(rnd() * 40);
      const readings = Array.from({ length }, () => r(Math.floor(rnd() * 100), Math.floor(rnd() * 1000)));
      if (n % 2 === 0) readings.sort((a, b) => a.at - b.at);
      for (let k = 0; k < 20; k++) {
        const t = Math.floor(rnd() * 120) - 10;
        expect(meterAt(readings, t)).toBe(scan(readings, t));
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
