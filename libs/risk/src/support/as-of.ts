import type { CustomerState } from '../model/customer-state';
import type { EventStamp, MachineState, WarrantyTerm, WorkOrder } from '../model/machine-state';

// "As of" views: only facts whose event time is <= asOf, sorted by time then eventId, so a state that
// already holds later (or late-arriving) events evaluates exactly as it would have at asOf.

const byAt = <T extends { at: number; eventId: string }>(a: T, b: T): number =>
  a.at - b.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/** Lists found sorted by (at, eventId): checked once per list, not at every instant it is viewed at. */
const sortedLists = new WeakMap<readonly unknown[], boolean>();

function isSorted<T extends { at: number; eventId: string }>(items: readonly T[]): boolean {
  let known = sortedLists.get(items);
  if (known === undefined) {
    known = items.every((item, i) => i === 0 || byAt(items[i - 1], item) <= 0);
    sortedLists.set(items, known);
  }
  return known;
}

function upTo<T extends { at: number; eventId: string }>(items: readonly T[], asOfMs: number): T[] {
  if (!isSorted(items)) return items.filter((i) => i.at <= asOfMs).sort(byAt);
  // Sorted: the facts up to asOf are a prefix (same result as filter + stable sort).
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].at <= asOfMs) lo = mid + 1;
    else hi = mid;
  }
  return items.slice(0, lo);
}

const stampUpTo = <T extends EventStamp>(s: T | undefined, asOfMs: number): T | undefined =>
  s !== undefined && s.at <= asOfMs ? s : undefined;

function termAsOf<T extends WarrantyTerm>(term: T, asOfMs: number): T {
  return {
    ...term,
    expired: stampUpTo(term.expired, asOfMs),
    hoursLimitReached: stampUpTo(term.hoursLimitReached, asOfMs),
  };
}

function workOrdersAsOf(orders: readonly WorkOrder[], asOfMs: number): WorkOrder[] {
  return orders
    .filter((w) => w.openedAt <= asOfMs)
    .map((w) =>
      w.closedAt !== undefined && w.closedAt > asOfMs
        ? { ...w, closedAt: undefined, labour: false, downtimeHours: undefined }
        : w,
    )
    .sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// Views already cut at an instant: taking the view again at that instant gives equal content, so the
// detectors (which each take the view of what evaluate() already cut) reuse it instead of re-sorting.
const machineViews = new WeakMap<MachineState, number>();
const customerViews = new WeakMap<CustomerState, number>();

/** The machine as known at `asOfMs`, every list sorted by time. */
export function machineAsOf(m: MachineState, asOfMs: number): MachineState {
  if (machineViews.get(m) === asOfMs) return m;
  const view: MachineState = {
    ...m,
    readings: upTo(m.readings, asOfMs),
    locations: upTo(m.locations, asOfMs),
    faults: m.faults
      .filter((f) => f.firstSeenAt <= asOfMs && !(f.clearedAt !== undefined && f.clearedAt <= asOfMs))
      .map((f) => ({ ...f, clearedAt: undefined, occurrences: upTo(f.occurrences, asOfMs) }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.firstSeenAt - b.firstSeenAt)),
    warranty: m.warranty && termAsOf(m.warranty, asOfMs),
    covers: m.covers.map((c) => termAsOf(c, asOfMs)),
    workOrders: workOrdersAsOf(m.workOrders, asOfMs),
    sold: stampUpTo(m.sold, asOfMs),
    lastTelematics: stampUpTo(m.lastTelematics, asOfMs),
  };
  machineViews.set(view, asOfMs);
  return view;
}

/** The customer as known at `asOfMs`, every list sorted by time. */
export function customerAsOf(c: CustomerState, asOfMs: number): CustomerState {
  if (customerViews.get(c) === asOfMs) return c;
  const view: CustomerState = {
    ...c,
    purchases: upTo(c.purchases, asOfMs),
    complaints: c.complaints
      .filter((x) => x.openedAt <= asOfMs)
      .map((x) => (x.resolvedAt !== undefined && x.resolvedAt > asOfMs ? { ...x, resolvedAt: undefined } : x))
      .sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1)),
    surveys: upTo(c.surveys, asOfMs),
    pAlive: c.pAlive.filter((e) => e.at <= asOfMs).sort((a, b) => a.at - b.at),
    fleetHours: c.fleetHours.filter((d) => d.at <= asOfMs).sort((a, b) => a.at - b.at),
    unattributedWorkOrders: workOrdersAsOf(c.unattributedWorkOrders, asOfMs),
  };
  customerViews.set(view, asOfMs);
  return view;
}
