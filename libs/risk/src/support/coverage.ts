import type { MachineState, MeterReading, WarrantyTerm } from '../model/machine-state';
import { firstReaching } from './meter';

/** When a term ends: the earliest of its end date, a `warranty.expired` event and reaching its hour limit. */
export function termEndAt(term: WarrantyTerm, readings: readonly MeterReading[]): number {
  const reached =
    term.hoursLimitReached?.at ??
    (term.hoursLimit !== undefined ? firstReaching(readings, term.hoursLimit)?.at : undefined);
  return Math.min(term.endsAt, term.expired?.at ?? Infinity, reached ?? Infinity);
}

/**
 * Until when an extended warranty or maintenance contract known at `asOfMs` covers the machine: the latest end
 * of a cover running past `asOfMs`, or null when none does (no active cover). Without a new event the machine
 * is covered up to that instant and uncovered from it on.
 */
export function activeCoverEndAt(m: MachineState, asOfMs: number): number | null {
  let end: number | null = null;
  for (const c of m.covers) {
    const at = termEndAt(c, m.readings);
    if (at > asOfMs && (end === null || at > end)) end = at;
  }
  return end;
}

/**
 * End of all coverage: the standard warranty's end, or the latest end of a cover if later. Null without a
 * standard warranty. May lie after asOf (still covered).
 */
export function coverageEndAt(m: MachineState): number | null {
  if (m.warranty === undefined) return null;
  return Math.max(termEndAt(m.warranty, m.readings), ...m.covers.map((c) => termEndAt(c, m.readings)));
}
