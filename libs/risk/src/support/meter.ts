import type { MeterReading } from '../model/machine-state';
import { lastOf } from './lists';
import { gte } from './numbers';
import { rootOf } from './prefix';
import { DAY_MS } from './time';

// Helpers over readings sorted by time (see as-of.ts). The meter only goes up: a lower value is a glitch,
// so the meter at an instant is the highest reading up to it.

/** The latest reading, or undefined. */
export const latestReading = (readings: readonly MeterReading[]): MeterReading | undefined =>
  lastOf(readings);

/**
 * Per list: running maxima of `at` and of `hours` (as meterAt's scan keeps them), built once per list. A
 * prefix (an as-of view) uses its list's: the running maximum at i depends on items 0..i only.
 */
const runningMax = new WeakMap<readonly MeterReading[], { at: Float64Array; hours: Float64Array }>();

function runningMaxOf(list: readonly MeterReading[]): { at: Float64Array; hours: Float64Array } {
  const readings = rootOf(list);
  let m = runningMax.get(readings);
  if (m === undefined) {
    const at = new Float64Array(readings.length);
    const hours = new Float64Array(readings.length);
    for (let i = 0; i < readings.length; i++) {
      const r = readings[i];
      at[i] = i === 0 || r.at > at[i - 1] ? r.at : at[i - 1];
      hours[i] = i === 0 || r.hours > hours[i - 1] ? r.hours : hours[i - 1];
    }
    m = { at, hours };
    runningMax.set(readings, m);
  }
  return m;
}

/**
 * The meter value at `t` (highest reading at or before it), or undefined: the highest of the readings before
 * the first one later than `t`. A binary search over the list's running maxima (the rules ask this many
 * times per machine and instant, of lists shared across instants).
 */
export function meterAt(readings: readonly MeterReading[], t: number): number | undefined {
  if (readings.length === 0) return undefined;
  const { at, hours } = runningMaxOf(readings); // may be longer (the list `readings` is a prefix of)
  // The first index whose running maximum of `at` is later than `t` is where the scan stopped.
  let lo = 0;
  let hi = readings.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo === 0 ? undefined : hours[lo - 1];
}

/**
 * The first reading at or above `hours` (in list order). A binary search over the list's running maxima: the
 * first index whose running maximum reaches `hours` is where the maximum rose, i.e. a reading that reaches it,
 * and none before it does. The rules ask this at every instant (a parked machine's current level, a warranty's
 * hour limit a machine may never reach), where a scan walked most of years of readings each time.
 */
export function firstReaching(readings: readonly MeterReading[], hours: number): MeterReading | undefined {
  const n = readings.length;
  if (n === 0) return undefined;
  const max = runningMaxOf(readings).hours; // may be longer (the list `readings` is a prefix of)
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (gte(max[mid], hours)) hi = mid;
    else lo = mid + 1;
  }
  return lo < n ? readings[lo] : undefined;
}

/** The last reading at or above `hours` (a later, lower reading is a glitch and does not count). */
export function lastReaching(readings: readonly MeterReading[], hours: number): MeterReading | undefined {
  for (let i = readings.length - 1; i >= 0; i--) if (gte(readings[i].hours, hours)) return readings[i];
  return undefined;
}

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
  let first = readings[0];
  for (let i = readings.length - 1; i >= 0; i--) {
    if (readings[i].at <= windowStart) {
      first = readings[i];
      break;
    }
  }
  if (last.at - first.at < DAY_MS) return null;
  return Math.max(
    0,
    ((meterAt(readings, last.at) ?? last.hours) - first.hours) / ((last.at - first.at) / DAY_MS),
  );
}
