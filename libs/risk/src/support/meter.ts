import type { MeterReading } from '../model/machine-state';
import { lastOf } from './lists';
import { gte } from './numbers';
import { DAY_MS } from './time';

// Helpers over readings sorted by time (see as-of.ts). The meter only goes up: a lower value is a glitch,
// so the meter at an instant is the highest reading up to it.

/** The latest reading, or undefined. */
export const latestReading = (readings: readonly MeterReading[]): MeterReading | undefined =>
  lastOf(readings);

/** The meter value at `t` (highest reading at or before it), or undefined. */
export function meterAt(readings: readonly MeterReading[], t: number): number | undefined {
  let best: number | undefined;
  for (const r of readings) {
    if (r.at > t) break;
    if (best === undefined || r.hours > best) best = r.hours;
  }
  return best;
}

/** The first reading at or above `hours`. */
export const firstReaching = (readings: readonly MeterReading[], hours: number): MeterReading | undefined =>
  readings.find((r) => gte(r.hours, hours));

/** Hours run between `from` and `to`; a window without a reading before it starts at its first reading. */
export function hoursRun(readings: readonly MeterReading[], from: number, to: number): number {
  const end = meterAt(readings, to);
  if (end === undefined) return 0;
  const start = meterAt(readings, from) ?? readings.find((r) => r.at > from && r.at <= to)?.hours ?? end;
  return Math.max(0, end - start);
}

/**
 * The machine's own usage rate in hours per day over the `windowDays` up to its latest reading (anchored
 * there, so a machine that stopped reporting keeps the rate it had): from the last reading at or before the
 * window start (else the first in it) to the latest reading. Null without a span of at least one day.
 */
export function usageRatePerDay(readings: readonly MeterReading[], windowDays: number): number | null {
  const last = lastOf(readings);
  if (last === undefined) return null;
  const windowStart = last.at - windowDays * DAY_MS;
  const first = [...readings].reverse().find((r) => r.at <= windowStart) ?? readings[0];
  if (last.at - first.at < DAY_MS) return null;
  return Math.max(
    0,
    ((meterAt(readings, last.at) ?? last.hours) - first.hours) / ((last.at - first.at) / DAY_MS),
  );
}
