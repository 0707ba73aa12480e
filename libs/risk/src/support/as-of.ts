import type { CustomerState } from '../model/customer-state';
import type { ActiveFault, EventStamp, MachineState, WarrantyTerm, WorkOrder } from '../model/machine-state';
import { prefix, rootOf } from './prefix';
import { countUpTo, isSortedByAt, knownSortedByAt } from './sorted-by-time';
import { DAY_MS } from './time';

// "As of" views: only facts whose event time is <= asOf, sorted by time then eventId, so a state that
// already holds later (or late-arriving) events evaluates exactly as it would have at asOf.

const byAt = <T extends { at: number; eventId: string }>(a: T, b: T): number =>
  a.at - b.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/** Lists found sorted by (at, eventId): checked once per list, not at every instant it is viewed at. */
const sortedLists = new WeakMap<readonly unknown[], boolean>();

function isSorted<T extends { at: number; eventId: string }>(items: readonly T[]): boolean {
  const root = rootOf(items);
  if (root !== items && sortedLists.get(root) === true) return true; // a prefix of a sorted list
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
  return prefix(items, countUpTo(items, asOfMs, atOf));
}

const atOf = (item: { at: number }): number => item.at;

const stampUpTo = <T extends EventStamp>(s: T | undefined, asOfMs: number): T | undefined =>
  s !== undefined && s.at <= asOfMs ? s : undefined;

/**
 * The fault was open at `asOfMs`: reported by then (from the snapshot that first listed it, even when its
 * `firstSeenAt` is earlier), not cleared explicitly by then, and not lapsed then (a lapse lasts until the code's
 * next occurrence). Exactly what the episodes folded from the snapshots up to `asOfMs` show open.
 */
function openAt(f: ActiveFault, asOfMs: number): boolean {
  const occ = f.occurrences;
  if (f.firstSeenAt > asOfMs || (occ.length > 0 && occ[0].at > asOfMs)) return false;
  if (f.clearedAt !== undefined && f.clearedAt <= asOfMs) return false;
  const lapsedAt = f.lapsedAt;
  if (lapsedAt === undefined || lapsedAt > asOfMs) return true;
  for (const o of occ) if (o.at > lapsedAt && o.at <= asOfMs) return true; // listed again since
  return false;
}

/** The severity the fault was listed with at `asOfMs` (the latest change up to then). */
function severityAt(f: ActiveFault, asOfMs: number): ActiveFault['severity'] {
  const changes = f.severities;
  if (changes === undefined || changes.length === 0) return f.severity;
  let severity = changes[0].severity;
  let since = -Infinity;
  for (const c of changes) {
    if (c.at <= asOfMs && c.at >= since) {
      since = c.at;
      severity = c.severity;
    }
  }
  return severity;
}

/**
 * An open fault as of `asOfMs`: its occurrences, severity and severity changes up to then (FAULT_WITHOUT_VISIT
 * counts from when it became high/critical), no lapse or clearing (the fault itself if unchanged).
 */
function faultAsOf(f: ActiveFault, asOfMs: number): ActiveFault {
  const occurrences = upTo(f.occurrences, asOfMs);
  const severity = severityAt(f, asOfMs);
  const plain = f.severities === undefined && f.lapsedAt === undefined && f.clearedAt === undefined;
  if (plain && occurrences === f.occurrences) return f;
  const view: ActiveFault = {
    code: f.code,
    severity,
    firstSeenAt: f.firstSeenAt,
    eventId: f.eventId,
    occurrences,
  };
  // One entry up to asOf is no change yet: absent, as a state folded from the snapshots up to asOf has it.
  const severities = f.severities === undefined ? [] : atOrBefore(f.severities, asOfMs);
  return severities.length > 1 ? { ...view, severities } : view;
}

const byCode = (a: ActiveFault, b: ActiveFault): number =>
  a.code < b.code ? -1 : a.code > b.code ? 1 : a.firstSeenAt - b.firstSeenAt;

/** The faults open at `asOfMs`, by code. */
function faultsAsOf(faults: readonly ActiveFault[], asOfMs: number): readonly ActiveFault[] {
  if (faults.length === 0) return faults;
  const open: ActiveFault[] = [];
  for (const f of faults) if (openAt(f, asOfMs)) open.push(faultAsOf(f, asOfMs));
  return open.length > 1 ? open.sort(byCode) : open;
}

/** A term whose event had not happened yet at `asOfMs` is not known then. */
const knownBy = (term: WarrantyTerm, asOfMs: number): boolean =>
  term.knownAt === undefined || term.knownAt <= asOfMs;

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
        ? {
            ...w,
            closedAt: undefined,
            labour: false,
            downtimeHours: undefined,
            hoursAtService: w.hoursAtOpen,
            eventId: w.openedEventId ?? w.eventId,
          }
        : w,
    )
    .sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The latest snapshot up to `asOfMs`: the state's latest one when it is not later, else the latest reading,
 * position or fault report up to then (the state holds only the newest snapshot as such).
 */
function lastTelematicsAsOf(
  m: MachineState,
  view: Pick<MachineState, 'readings' | 'locations' | 'faults'>,
  asOfMs: number,
): EventStamp | undefined {
  const last = m.lastTelematics;
  if (last === undefined || last.at <= asOfMs) return last;
  let found: EventStamp | undefined;
  const consider = (s: EventStamp | undefined) => {
    if (s !== undefined && (found === undefined || byAt(found, s) < 0)) found = s;
  };
  consider(view.readings.at(-1));
  consider(view.locations.at(-1));
  for (const f of view.faults) consider(f.occurrences.at(-1));
  return found && { at: found.at, eventId: found.eventId };
}

// Views already cut at an instant: taking the view again at that instant gives equal content, so the
// detectors (which each take the view of what evaluate() already cut) reuse it instead of re-sorting.
const machineViews = new WeakMap<MachineState, number>();
const customerViews = new WeakMap<CustomerState, number>();

/**
 * Every instant at which a machine's view can change, ascending: each fact time machineAsOf compares with the
 * instant (`at <= asOf`). Between two of them the view is the same, so one is cut per stretch, not per instant.
 * `slow`: those of everything but the readings, positions and the latest snapshot (faults, terms, work orders,
 * sale) — between two of them only those three lists move.
 */
function changePoints(m: MachineState): { all: number[]; slow: number[] } {
  const xs: number[] = [];
  for (const f of m.faults) {
    xs.push(f.firstSeenAt);
    if (f.clearedAt !== undefined) xs.push(f.clearedAt);
    if (f.lapsedAt !== undefined) xs.push(f.lapsedAt);
    for (const o of f.occurrences) xs.push(o.at);
    if (f.severities !== undefined) for (const c of f.severities) xs.push(c.at);
  }
  for (const t of m.warranty ? [m.warranty, ...m.covers] : m.covers) {
    if (t.knownAt !== undefined) xs.push(t.knownAt);
    if (t.expired) xs.push(t.expired.at);
    if (t.hoursLimitReached) xs.push(t.hoursLimitReached.at);
  }
  for (const w of m.workOrders) {
    xs.push(w.openedAt);
    if (w.closedAt !== undefined) xs.push(w.closedAt);
  }
  if (m.sold) xs.push(m.sold.at);
  const slow = [...new Set(xs)].sort((a, b) => a - b);
  for (const r of m.readings) xs.push(r.at);
  for (const l of m.locations) xs.push(l.at);
  if (m.lastTelematics) xs.push(m.lastTelematics.at);
  return { all: [...new Set(xs)].sort((a, b) => a - b), slow };
}

/** Per machine state: its change points and the last view cut (with how many change points it had passed). */
const lastViews = new WeakMap<
  MachineState,
  { points: { all: number[]; slow: number[] }; passed: number; slowPassed: number; view: MachineState }
>();

/** The machine as known at `asOfMs`, every list sorted by time. */
export function machineAsOf(m: MachineState, asOfMs: number): MachineState {
  if (machineViews.get(m) === asOfMs) return m;
  let last = lastViews.get(m);
  const points = last?.points ?? changePoints(m);
  const passed = countUpTo(points.all, asOfMs, (p) => p);
  if (last !== undefined && last.passed === passed) {
    machineViews.set(last.view, asOfMs);
    return last.view;
  }
  const slowPassed = countUpTo(points.slow, asOfMs, (p) => p);
  // Only readings or positions came in since the last view (a machine reporting daily, nothing else new):
  // the rest of that view is this one's too.
  const view =
    last !== undefined && last.slowPassed === slowPassed
      ? cutTelematics(m, last.view, asOfMs)
      : cutMachine(m, asOfMs);
  last = { points, passed, slowPassed, view };
  lastViews.set(m, last);
  return view;
}

/** `base` (a view of `m` with the same faults, terms, work orders and sale) with the telematics cut at `asOfMs`. */
function cutTelematics(m: MachineState, base: MachineState, asOfMs: number): MachineState {
  const readings = upTo(m.readings, asOfMs);
  const locations = upTo(m.locations, asOfMs);
  const view: MachineState = {
    ...base,
    readings,
    locations,
    lastTelematics: lastTelematicsAsOf(m, { readings, locations, faults: base.faults }, asOfMs),
  };
  machineViews.set(view, asOfMs);
  return view;
}

function cutMachine(m: MachineState, asOfMs: number): MachineState {
  const readings = upTo(m.readings, asOfMs);
  const locations = upTo(m.locations, asOfMs);
  const faults = faultsAsOf(m.faults, asOfMs);
  const view: MachineState = {
    ...m,
    readings,
    locations,
    faults,
    warranty: m.warranty && knownBy(m.warranty, asOfMs) ? termAsOf(m.warranty, asOfMs) : undefined,
    covers: m.covers.filter((c) => knownBy(c, asOfMs)).map((c) => termAsOf(c, asOfMs)),
    workOrders: workOrdersAsOf(m.workOrders, asOfMs),
    sold: stampUpTo(m.sold, asOfMs),
    lastTelematics: lastTelematicsAsOf(m, { readings, locations, faults }, asOfMs),
  };
  machineViews.set(view, asOfMs);
  return view;
}

/** The machine was the customer's at `asOfMs` (or since an unknown time), sold or not. */
export const ownedBy = (m: MachineState, asOfMs: number): boolean =>
  m.ownedSince === undefined || m.ownedSince <= asOfMs;

/**
 * How many machines the customer had at `asOfMs`: their ownership had begun and they were not sold yet. The
 * fleet size of value estimates, the same whichever later deliveries and sales the state already holds.
 */
export const fleetSizeAt = (machines: readonly MachineState[], asOfMs: number): number =>
  machines.filter((m) => ownedBy(m, asOfMs) && !(m.sold !== undefined && m.sold.at <= asOfMs)).length;

/** The items with `at <= limitMs`, sorted by `at` (stable): a prefix when the list is sorted already. */
function atOrBefore<T extends { at: number }>(items: readonly T[], limitMs: number): T[] {
  const root = rootOf(items);
  const sorted = (root !== items && knownSortedByAt(root)) || isSortedByAt(items);
  if (!sorted) return items.filter((i) => i.at <= limitMs).sort((a, b) => a.at - b.at);
  return prefix(items, countUpTo(items, limitMs, atOf));
}

/** The customer as known at `asOfMs`, every list sorted by time. */
export function customerAsOf(c: CustomerState, asOfMs: number): CustomerState {
  if (customerViews.get(c) === asOfMs) return c;
  const view: CustomerState = {
    ...c,
    purchases: upTo(c.purchases, asOfMs),
    ...(c.purchaseBeforeHistory === undefined
      ? {}
      : { purchaseBeforeHistory: stampUpTo(c.purchaseBeforeHistory, asOfMs) }),
    complaints: c.complaints
      .filter((x) => x.openedAt <= asOfMs)
      .map((x) => (x.resolvedAt !== undefined && x.resolvedAt > asOfMs ? { ...x, resolvedAt: undefined } : x))
      .sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1)),
    surveys: upTo(c.surveys, asOfMs),
    pAlive: atOrBefore(c.pAlive, asOfMs),
    // Whole days only: a day's hours come from its last reading, which may lie after asOf.
    fleetHours: atOrBefore(c.fleetHours, asOfMs - DAY_MS),
    unattributedWorkOrders: workOrdersAsOf(c.unattributedWorkOrders, asOfMs),
  };
  customerViews.set(view, asOfMs);
  return view;
}
