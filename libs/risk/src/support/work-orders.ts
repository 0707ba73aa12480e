import type { MeterReading, WorkOrder } from '../model/machine-state';
import { meterAt } from './meter';

/** A dealer labour visit: a closed order with labour, or an order still open (the machine is at the dealer). */
export const isLabourVisit = (wo: WorkOrder): boolean => wo.labour || wo.closedAt === undefined;

/** The latest labour visit of one of `kinds` (all kinds when omitted), by opening time. */
export function lastLabourVisit(
  orders: readonly WorkOrder[],
  kinds?: readonly string[],
): WorkOrder | undefined {
  let last: WorkOrder | undefined;
  for (const wo of orders) {
    if (isLabourVisit(wo) && (kinds === undefined || kinds.includes(wo.kind))) {
      if (last === undefined || wo.openedAt >= last.openedAt) last = wo;
    }
  }
  return last;
}

/**
 * Hour meter at a service: the DMS value, else the meter at opening, else the first reading after it
 * (conservative: never overstates hours since the service), else `fallback`.
 */
export function hoursAtService(wo: WorkOrder, readings: readonly MeterReading[], fallback: number): number {
  return (
    wo.hoursAtService ??
    meterAt(readings, wo.openedAt) ??
    readings.find((r) => r.at > wo.openedAt)?.hours ??
    fallback
  );
}
