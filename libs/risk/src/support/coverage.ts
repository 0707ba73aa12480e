import type { MachineState, MeterReading, WarrantyTerm } from '../model/machine-state';
import { firstReaching } from './meter';

/** When a term ends: the earliest of its end date, a `warranty.expired` event and reaching its hour limit. */
export function termEndAt(term: WarrantyTerm, readings: readonly MeterReading[]): number {
  const reached =
    term.hoursLimitReached?.at ??
    (term.hoursLimit !== undefined ? firstReaching(readings, term.hoursLimit)?.at : undefined);
  return Math.min(term.endsAt, term.expired?.at ?? Infinity, reached ?? Infinity);
}

/** True when an extended warranty or maintenance contract runs past `asOfMs`. */
export const hasActiveCover = (m: MachineState, asOfMs: number): boolean =>
  m.covers.some((c) => termEndAt(c, m.readings) > asOfMs);

/**
 * End of all coverage: the standard warranty's end, or the latest end of a cover if later. Null without a
 * standard warranty. May lie after asOf (still covered).
 */
export function coverageEndAt(m: MachineState): number | null {
  if (m.warranty === undefined) return null;
  return Math.max(termEndAt(m.warranty, m.readings), ...m.covers.map((c) => termEndAt(c, m.readings)));
}
