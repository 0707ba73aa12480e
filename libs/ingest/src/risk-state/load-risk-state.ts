import type { CustomerState, EventStamp, MachineState } from '@rp/risk';
import type { Executor } from '../projections/sql';
import { toCustomerState, type CustomerData } from './customer-state.map';
import {
  loadComplaints,
  loadEarlierPurchaseDays,
  loadPartsSales,
  loadSurveys,
  type EarlierPurchaseDayRow,
} from './customer-state.sql';
import { fleetHours as fleetHoursOf } from './fleet-hours';
import { toMachineState } from './machine-state.map';
import { loadReadings, loadWarranties, loadWorkOrders } from './machine-state.sql';
import { machineEntries, ownershipIntervals } from './ownership';
import { loadCustomerScope, loadMachineScope } from './scope.sql';
import { byId, byStamp, isoMs } from './sql-helpers';

/**
 * Default history kept per customer: this many calendar months before its newest event, or before the earliest
 * instant it is evaluated at when that is earlier (see LoadRiskStateOptions.evaluatedFrom).
 */
export const DEFAULT_HISTORY_MONTHS = 36;

export interface LoadRiskStateOptions {
  /**
   * Start of the history loaded (epoch ms), for every customer. Default: per customer, 36 calendar months
   * (UTC) before its newest event (timeline, its machines' telematics, its machine sales) — longer than the
   * longest look-back of the rules (30 months of purchases and fleet hours) — so the result for a customer
   * does not depend on which other customers are loaded with it.
   */
  sinceMs?: number;
  /**
   * Per customer, the earliest instant the caller will evaluate it at (a sweep's first due instant). When it
   * lies before the customer's newest event, the 36 months are counted back from it instead: every instant
   * evaluated sees 36 months behind it, however far the newest event is ahead (a backlog's sweep evaluates
   * months of instants at once, and what a rule sees must not depend on how far behind a sweep runs).
   */
  evaluatedFrom?: ReadonlyMap<string, number>;
}

/** What the pure risk detectors need for one customer. */
export interface CustomerRiskState {
  customer: CustomerState;
  /** Machines owned now, then those sold away (`sold` set; `customerId` = the seller), each sorted by serial. */
  machines: MachineState[];
  /**
   * The first purchase instant of each UTC day with a purchase before the history loaded, ascending: with
   * `customer.purchases`, the whole purchase history P(alive) is estimated on (the same however much is loaded).
   */
  earlierPurchaseDays: number[];
}

/**
 * The customer's latest purchase before the history loaded, if any (`CustomerState.purchaseBeforeHistory`): so
 * that a customer whose purchases all lie before the window does not read as one who never bought.
 */
function withPurchaseBeforeHistory(
  customer: CustomerState,
  rows: readonly EarlierPurchaseDayRow[],
): CustomerState {
  let last: EventStamp | undefined;
  for (const r of rows) {
    const stamp = { at: Number(r.last_at), eventId: r.last_event_id };
    if (last === undefined || byStamp(last, stamp) < 0) last = stamp;
  }
  return last === undefined ? customer : { ...customer, purchaseBeforeHistory: last };
}

/** Queries issued per call, whatever the number of customers (0 for an empty list). */
export const RISK_STATE_QUERIES = 9;

const monthsBefore = (ms: number, months: number): number => {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
};

function groupBy<T>(items: readonly T[], key: (t: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}

/**
 * Batch-loads the risk state of `customerIds` of one dealer from the projections, in RISK_STATE_QUERIES
 * queries whatever the number of customers, every one filtered by `dealerId`. Lists are sorted
 * by event time; instants are epoch ms. Customers with nothing at all in the projections are omitted.
 *
 * History is bounded by `opts.sinceMs` (see LoadRiskStateOptions) with these exceptions, which the rules need
 * whatever their age: open work orders and complaints, the latest labour visit of each machine and kind,
 * warranties and covers, and when an hour limit was reached.
 */
export async function loadRiskState(
  db: Executor,
  dealerId: string,
  customerIds: string[],
  opts: LoadRiskStateOptions = {},
): Promise<Map<string, CustomerRiskState>> {
  const ids = [...new Set(customerIds)];
  const result = new Map<string, CustomerRiskState>();
  if (ids.length === 0) return result;
  const wanted = new Set(ids);

  // Sequential on purpose: inside a transaction the queries share one connection anyway.
  const scope = await loadCustomerScope(db, dealerId, ids);
  const machineRows = await loadMachineScope(db, dealerId, ids);
  const anchorOf = (customerId: string, newestMs: number | null): number | null => {
    const from = opts.evaluatedFrom?.get(customerId);
    if (newestMs === null || from === undefined) return newestMs ?? from ?? null;
    return Math.min(newestMs, from);
  };
  const starts = new Map(
    scope.map((c) => {
      const anchor = anchorOf(c.customer_id, c.newest_ms);
      return [
        c.customer_id,
        opts.sinceMs ?? (anchor === null ? null : monthsBefore(anchor, DEFAULT_HISTORY_MONTHS)),
      ];
    }),
  );
  const known = [...starts.values()].filter((v): v is number => v !== null);
  const earliest = known.reduce((a, b) => Math.min(a, b), known[0] ?? 0);
  // A customer without any event has no history to bound: it takes the batch's earliest start.
  const sinceOf = (customerId: string): number => starts.get(customerId) ?? earliest;
  const since = isoMs(earliest);
  const serials = machineRows.map((m) => m.serial_number);
  const intervals = machineRows.flatMap((m) => ownershipIntervals(m, wanted));

  const readings = await loadReadings(db, dealerId, serials, since);
  const warranties = await loadWarranties(db, dealerId, serials);
  const workOrders = await loadWorkOrders(db, dealerId, serials, ids, since);
  const partsSales = await loadPartsSales(db, dealerId, ids, since);
  const complaints = await loadComplaints(db, dealerId, ids, since);
  const surveys = await loadSurveys(db, dealerId, ids, since);
  const earlier = groupBy(
    await loadEarlierPurchaseDays(
      db,
      dealerId,
      ids.map((customerId) => ({ customerId, since: isoMs(sinceOf(customerId)) })),
    ),
    (r) => r.customer_id,
  );

  // Event-time order, event id as tie-breaker (byStamp's), in place: the rows are this call's own array.
  const readingsBySerial = groupBy(
    readings.sort((a, b) => a.at - b.at || byId(a.event_id, b.event_id)),
    (r) => r.serial_number,
  );
  // From the readings already loaded (a window query per load cost Postgres more than the rest together).
  const fleetHours = fleetHoursOf(readingsBySerial, intervals, sinceOf);
  const warrantiesBySerial = groupBy(warranties, (w) => w.serial_number);
  const ordersBySerial = groupBy(workOrders, (w) => w.serial_number);
  const entriesByCustomer = groupBy(
    machineRows
      .flatMap((m) => machineEntries(m, wanted))
      .sort(
        (a, b) =>
          Number(a.sold !== undefined) - Number(b.sold !== undefined) ||
          byId(a.row.serial_number, b.row.serial_number),
      ),
    (e) => e.customerId,
  );
  const byCustomer = {
    partsSales: groupBy(partsSales, (r) => r.customer_id),
    workOrders: groupBy(workOrders, (r) => r.customer_id),
    complaints: groupBy(complaints, (r) => r.customer_id),
    surveys: groupBy(surveys, (r) => r.customer_id),
    fleetHours: groupBy(fleetHours, (r) => r.customer_id),
  };
  const scopeById = new Map(scope.map((c) => [c.customer_id, c]));

  for (const customerId of ids) {
    const info = scopeById.get(customerId);
    const sinceMs = sinceOf(customerId);
    const masterBranch = info?.branch_id ?? undefined;
    const machines = (entriesByCustomer.get(customerId) ?? []).map((entry) => {
      const serial = entry.row.serial_number;
      return toMachineState(
        dealerId,
        entry,
        {
          readings: readingsBySerial.get(serial) ?? [],
          warranties: warrantiesBySerial.get(serial) ?? [],
          workOrders: ordersBySerial.get(serial) ?? [],
        },
        masterBranch,
        sinceMs,
      );
    });
    const data: CustomerData = {
      partsSales: byCustomer.partsSales.get(customerId) ?? [],
      workOrders: byCustomer.workOrders.get(customerId) ?? [],
      complaints: byCustomer.complaints.get(customerId) ?? [],
      surveys: byCustomer.surveys.get(customerId) ?? [],
      fleetHours: byCustomer.fleetHours.get(customerId) ?? [],
    };
    const anyRow = Object.values(data).some((rows: readonly unknown[]) => rows.length > 0);
    if (!(info?.present ?? false) && machines.length === 0 && !anyRow) continue;
    const earlierRows = earlier.get(customerId) ?? [];
    const customer = withPurchaseBeforeHistory(
      toCustomerState(dealerId, customerId, masterBranch, machines, data, sinceMs),
      earlierRows,
    );
    const earlierPurchaseDays = earlierRows.map((r) => Number(r.at)).sort((a, b) => a - b);
    result.set(customerId, { customer, machines, earlierPurchaseDays });
  }
  return result;
}
