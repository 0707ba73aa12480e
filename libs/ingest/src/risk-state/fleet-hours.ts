import type { ReadingRow } from './machine-state.sql';
import type { OwnershipInterval } from './ownership';

const DAY_MS = 86_400_000;

/** Hours one customer's fleet ran on one UTC day (`day_ms` is the day's start). */
export interface FleetHoursRow {
  customer_id: string;
  day_ms: number;
  hours: number;
}

/**
 * Hours the customers' fleets ran per UTC day, from the readings already loaded (sorted by event time). Per
 * (customer, machine), over the machine's readings since the customer's own history start: the running maximum
 * of the hour meter (a lower reading is a glitch, never a negative run), its value at the end of each UTC day
 * with a reading, and the increase over the previous such day. A day counts for the customer when its last
 * reading falls in one of the customer's ownership intervals of the machine.
 */
export function fleetHours(
  readingsBySerial: ReadonlyMap<string, readonly ReadingRow[]>,
  intervals: readonly OwnershipInterval[],
  sinceOf: (customerId: string) => number,
): FleetHoursRow[] {
  const spans = new Map<string, OwnershipInterval[]>();
  for (const i of intervals) {
    const key = `${i.customerId}\u0000${i.serialNumber}`;
    const list = spans.get(key);
    if (list === undefined) spans.set(key, [i]);
    else list.push(i);
  }
  const byCustomerDay = new Map<string, Map<number, number>>();
  for (const owned of spans.values()) {
    const { customerId, serialNumber } = owned[0];
    const since = sinceOf(customerId);
    const days = byCustomerDay.get(customerId) ?? new Map<number, number>();
    byCustomerDay.set(customerId, days);
    let meter = -Infinity;
    let prevDayHours: number | undefined;
    let day: number | undefined;
    let lastAt = 0;
    const closeDay = () => {
      if (day === undefined) return;
      const inInterval = owned.some(
        (o) => (o.fromMs === null || lastAt >= o.fromMs) && (o.toMs === null || lastAt < o.toMs),
      );
      if (prevDayHours !== undefined && inInterval)
        days.set(day, (days.get(day) ?? 0) + (meter - prevDayHours));
      prevDayHours = meter;
    };
    for (const r of readingsBySerial.get(serialNumber) ?? []) {
      if (r.at < since || r.hours === null) continue;
      const d = Math.floor(r.at / DAY_MS) * DAY_MS;
      if (d !== day) {
        closeDay();
        day = d;
      }
      meter = Math.max(meter, Number(r.hours));
      lastAt = Math.max(lastAt, r.at);
    }
    closeDay();
  }
  const out: FleetHoursRow[] = [];
  for (const [customer_id, days] of byCustomerDay) {
    // Rounded: float differences of decimal meter readings (node-pg gives numeric as text) carry noise.
    for (const [day_ms, hours] of days)
      out.push({ customer_id, day_ms, hours: Math.round(hours * 1e6) / 1e6 });
  }
  return out;
}
