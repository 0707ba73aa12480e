import type { WarrantyContractKind } from '@rp/contracts';
import type {
  Cover,
  EventStamp,
  LocationFix,
  MachineState,
  MeterReading,
  WarrantyTerm,
  WorkOrder,
} from '@rp/risk';
import { foldFaults, type FaultSnapshot } from './faults';
import type { FaultCodeJson, ReadingRow, WarrantyRow, WorkOrderRow } from './machine-state.sql';
import type { MachineEntry } from './ownership';
import { byId, byStamp, compact, num, opt } from './sql-helpers';

/** The list of a snapshot that reported no fault (read as NULL: one shared empty list, not one per row). */
const NO_FAULTS: readonly FaultCodeJson[] = Object.freeze([]);

const STANDARD = 'standard';

/** A work order row with at least one of its two events. */
export const hasTime = (r: WorkOrderRow): boolean => r.opened_ms !== null || r.closed_ms !== null;

/**
 * Work order in the history window: still open, touched (opened or closed) at or after `sinceMs`, or the latest
 * labour visit of its machine and kind (kept whatever its age).
 */
export const inWindow = (r: WorkOrderRow, sinceMs: number): boolean =>
  r.closed_ms === null || Math.max(r.opened_ms ?? -Infinity, r.closed_ms) >= sinceMs || r.last_visit;

/**
 * `labour` follows the model: closed with laborAmount > 0. An open order is not flagged (the risk lib treats
 * any open order as a dealer visit, and its as-of view unflags orders not closed yet, so live and replay agree).
 * `eventId` is the latest event of the order (closed, else opened); `openedAt` falls back to the closing time
 * when only `work-order.closed` arrived.
 */
export function toWorkOrder(r: WorkOrderRow): WorkOrder {
  const closedAt = opt(r.closed_ms);
  return compact({
    id: r.work_order_id,
    kind: r.kind,
    openedAt: r.opened_ms ?? r.closed_ms ?? 0,
    closedAt,
    labour: closedAt !== undefined && (num(r.labor_amount) ?? 0) > 0,
    hoursAtService: num(r.hours_at_service) ?? num(r.hours_at_open),
    downtimeHours: num(r.downtime_hours),
    eventId: r.closed_event_id ?? r.opened_event_id ?? '',
    openedEventId: opt(r.opened_event_id),
    hoursAtOpen: num(r.hours_at_open),
  });
}

export const byOpening = (a: WorkOrder, b: WorkOrder): number => a.openedAt - b.openedAt || byId(a.id, b.id);

/** `warranty.expired` rows of a non-standard coverage name no contract: stored as `<coverage>:expired`. */
const isCoverageExpiry = (w: WarrantyRow): boolean =>
  w.contract_id === `${w.coverage}:expired` && w.starts_ms === null;

/** The `warranty.expired` a row records, if any. */
const expiryOf = (w: WarrantyRow | undefined): EventStamp | undefined =>
  w === undefined || w.expired_ms === null
    ? undefined
    : { at: w.expired_ms, eventId: w.expired_event_id ?? w.event_id };

function term(w: WarrantyRow, eventId: string, expired: EventStamp | undefined): WarrantyTerm {
  return compact({
    startsAt: w.starts_ms ?? 0,
    endsAt: w.ends_ms ?? 0,
    hoursLimit: num(w.hours_limit),
    eventId,
    knownAt: opt(w.known_ms),
    expired,
    hoursLimitReached:
      w.reached_ms === null || w.reached_event_id === null
        ? undefined
        : { at: w.reached_ms, eventId: w.reached_event_id },
  });
}

/**
 * Standard warranty (contract 'standard', once `warranty.registered` gave it dates; eventId = that event) and
 * covers (every other contract, kind = coverage, eventId = its `warranty.extended`). A `warranty.expired` of a
 * contract kind names no contract: it applies to the covers of that kind that started before the expiry date
 * (one starting then or later is a renewal).
 */
export function warrantyTerms(rows: readonly WarrantyRow[]): { warranty?: WarrantyTerm; covers: Cover[] } {
  const expiries = new Map(rows.filter(isCoverageExpiry).map((w) => [w.coverage, w]));
  const dated = rows.filter((w) => w.starts_ms !== null && w.ends_ms !== null && !isCoverageExpiry(w));
  const covers = dated
    .filter((w) => w.contract_id !== STANDARD)
    .map((w): Cover => {
      const expired = expiryOf(expiries.get(w.coverage));
      const applies = expired !== undefined && (w.starts_ms ?? 0) < expired.at;
      return {
        ...term(w, w.event_id, applies ? expired : undefined),
        contractId: w.contract_id,
        kind: w.coverage as WarrantyContractKind,
      };
    })
    .sort((a, b) => a.startsAt - b.startsAt || byId(a.contractId, b.contractId));
  const std = dated.find((w) => w.contract_id === STANDARD);
  const warranty = std && term(std, std.registered_event_id ?? std.event_id, expiryOf(std));
  return compact({ warranty, covers });
}

export interface MachineData {
  /** Sorted by event time. */
  readings: readonly ReadingRow[];
  warranties: readonly WarrantyRow[];
  workOrders: readonly WorkOrderRow[];
}

/**
 * One entry's MachineState. `branchId`: the machine's branch, else the customer's; for a machine sold away the
 * seller's branch comes first (the machine's branch may already be the buyer's).
 */
export function toMachineState(
  dealerId: string,
  entry: MachineEntry,
  data: MachineData,
  customerBranch: string | undefined,
  sinceMs: number,
): MachineState {
  const { row, sold } = entry;
  // One pass over the rows (a sweep maps tens of thousands per round): no intermediate lists.
  const readings: MeterReading[] = [];
  const locations: LocationFix[] = [];
  const snapshots: FaultSnapshot[] = [];
  for (const r of data.readings) {
    if (r.at < sinceMs) continue;
    if (r.hours !== null) readings.push({ at: r.at, eventId: r.event_id, hours: Number(r.hours) });
    if (r.lat !== null && r.lon !== null)
      locations.push({ at: r.at, eventId: r.event_id, lat: r.lat, lon: r.lon });
    // A snapshot without a faultCodes list says nothing about faults (foldFaults skips it anyway).
    if (r.reports_faults) {
      snapshots.push({
        at: r.at,
        eventId: r.event_id,
        reportsFaults: true,
        faultCodes: r.fault_codes ?? NO_FAULTS,
      });
    }
  }
  const faults = foldFaults(snapshots);
  const branch = entry.branch ?? (sold ? (customerBranch ?? opt(row.branch_id)) : customerBranch);
  return compact({
    dealerId,
    serialNumber: row.serial_number,
    customerId: entry.customerId,
    ownedSince: entry.ownedSince,
    acquiredByTransfer: entry.acquiredByTransfer,
    branchId: branch ?? '',
    model: opt(row.model),
    readings: readings.sort(byStamp),
    locations: locations.sort(byStamp),
    faults,
    ...warrantyTerms(data.warranties),
    workOrders: data.workOrders
      .filter((w) => hasTime(w) && inWindow(w, sinceMs))
      .map(toWorkOrder)
      .sort(byOpening),
    sold,
    lastTelematics:
      row.last_ms === null || row.last_event_id === null
        ? undefined
        : { at: row.last_ms, eventId: row.last_event_id },
  });
}
