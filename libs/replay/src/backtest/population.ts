import type { DataSource } from 'typeorm';
import {
  checkMachineParked,
  checkMachineRelocated,
  resolveRules,
  type LocationFix,
  type MachineState,
  type MeterReading,
  type RuleSet,
} from '@rp/risk';
import { unitKey, type Unit } from './metrics';

export interface PopulationOptions {
  /** Days after the cut-off in which a purchase must happen for the unit not to count as lapsed. */
  horizonDays: number;
  /** Engine hours the machine must run in the horizon to count as still running. */
  minRunningHours: number;
  /** Only this dealer's machines (default: every dealer of the schema). */
  dealerId?: string;
  /**
   * The rule set whose MACHINE_PARKED and MACHINE_RELOCATED tests (thresholds, service areas) mark the
   * units parked or relocated at the horizon's end; without one, none is.
   */
  ruleSet?: RuleSet;
}

export interface PopulationUnit extends Unit {
  branchId: string | null;
  /** Derived from the events after the cut-off: no dealer parts or service purchase in the horizon. */
  lapsed: boolean;
  /** MACHINE_PARKED of the rule set holds at the horizon's end (the machine stopped running). */
  parked: boolean;
  /** MACHINE_RELOCATED of the rule set holds at the horizon's end (it left its branch's service area). */
  relocated: boolean;
}

const DAY = 86_400_000;

/**
 * The units eligible at a cut-off and their derived labels, in one set-based query: machines delivered
 * by then, with their owner and branch at the cut-off, still running (≥ minRunningHours in the horizon)
 * and not sold in the horizon. Lapsed = no work order closed or parts sold to that owner for the machine
 * (or without a serial) in the horizon. Each unit is marked parked / relocated when the rule set's
 * suppressor holds at the horizon's end (the caller decides whom to leave out). Only the labels and
 * those marks look past the cut-off.
 */
export async function loadPopulation(
  ds: DataSource,
  cutoffMs: number,
  o: PopulationOptions,
): Promise<PopulationUnit[]> {
  const c = new Date(cutoffMs).toISOString();
  const h = new Date(cutoffMs + o.horizonDays * DAY).toISOString();
  const rows = await ds.query<
    {
      dealer_id: string;
      serial_number: string;
      customer_id: string;
      branch_id: string | null;
      lapsed: boolean;
    }[]
  >(
    `WITH owned AS (
       SELECT m.dealer_id, m.serial_number, t.branch_id AS bought_branch, t.event_id IS NOT NULL AS transferred,
         COALESCE(m.delivered_branch, m.branch_id) AS delivered_branch,
         COALESCE(t.to_customer_id,
           (SELECT o.from_customer_id FROM ownership_history o WHERE o.dealer_id = m.dealer_id
               AND o.serial_number = m.serial_number AND o.transferred_at > $1
             ORDER BY o.transferred_at, o.event_id LIMIT 1),
           m.customer_id) AS customer_id
         FROM (SELECT m.*, (SELECT w.branch_id FROM warranties w WHERE w.dealer_id = m.dealer_id
                              AND w.serial_number = m.serial_number AND w.contract_id = 'standard') AS delivered_branch
                 FROM machines m
                WHERE COALESCE(m.delivered_at, m.owner_since) <= $1
                  AND ($4::text IS NULL OR m.dealer_id = $4)) m
         LEFT JOIN LATERAL (SELECT o.to_customer_id, o.branch_id, o.event_id FROM ownership_history o
                             WHERE o.dealer_id = m.dealer_id AND o.serial_number = m.serial_number
                               AND o.transferred_at <= $1
                             ORDER BY o.transferred_at DESC, o.event_id DESC LIMIT 1) t ON true)
     SELECT w.dealer_id, w.serial_number, w.customer_id,
            CASE WHEN w.transferred THEN COALESCE(w.bought_branch, cu.branch_id)
                 ELSE COALESCE(w.delivered_branch, cu.branch_id) END AS branch_id,
            NOT (EXISTS (SELECT 1 FROM work_orders x WHERE x.dealer_id = w.dealer_id AND x.customer_id = w.customer_id
                          AND (x.serial_number = w.serial_number OR x.serial_number IS NULL)
                          AND x.closed_at > $1 AND x.closed_at <= $2)
              OR EXISTS (SELECT 1 FROM parts_sales x WHERE x.dealer_id = w.dealer_id AND x.customer_id = w.customer_id
                          AND (x.serial_number = w.serial_number OR x.serial_number IS NULL)
                          AND x.sold_at > $1 AND x.sold_at <= $2)) AS lapsed
       FROM owned w
       LEFT JOIN customers cu ON cu.dealer_id = w.dealer_id AND cu.customer_id = w.customer_id
      WHERE w.customer_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ownership_history o WHERE o.dealer_id = w.dealer_id
                          AND o.serial_number = w.serial_number AND o.transferred_at > $1 AND o.transferred_at <= $2)
        AND (SELECT max(r.operating_hours) FROM telematics_readings r WHERE r.dealer_id = w.dealer_id
               AND r.serial_number = w.serial_number AND r.occurred_at > $1 AND r.occurred_at <= $2)
          - COALESCE((SELECT max(r.operating_hours) FROM telematics_readings r WHERE r.dealer_id = w.dealer_id
               AND r.serial_number = w.serial_number AND r.occurred_at <= $1), 0) >= $3
      ORDER BY 1, 3, 2`,
    [c, h, o.minRunningHours, o.dealerId ?? null],
  );
  const units = rows.map((r) => ({
    dealerId: r.dealer_id,
    customerId: r.customer_id,
    serialNumber: r.serial_number,
    branchId: r.branch_id,
    lapsed: r.lapsed,
    parked: false,
    relocated: false,
  }));
  if (o.ruleSet && units.length > 0) await markStopped(ds, units, cutoffMs, o.horizonDays, o.ruleSet);
  return units;
}

/**
 * Marks each unit parked / relocated as the rule set's MACHINE_PARKED and MACHINE_RELOCATED (imported
 * from @rp/risk, with the dealer's thresholds and service areas) decide at the horizon's end. Each needs
 * only the readings of a window before that instant and the last one before it: the window starts
 * (thresholds + 1 day) before the horizon's end, and before the cut-off for the parked test (the meter
 * rose in the horizon: the flat run starts after the cut-off, or a reading before the window shows it).
 */
async function markStopped(
  ds: DataSource,
  units: PopulationUnit[],
  cutoffMs: number,
  horizonDays: number,
  ruleSet: RuleSet,
): Promise<void> {
  const endMs = cutoffMs + horizonDays * DAY;
  let fromMs = Infinity;
  for (const dealerId of new Set(units.map((u) => u.dealerId))) {
    const t = resolveRules(ruleSet, dealerId).thresholds;
    fromMs = Math.min(
      fromMs,
      cutoffMs - (t.machineParked.flatDays + 1) * DAY,
      endMs - (t.machineRelocated.outsideDays + 1) * DAY,
    );
  }
  const from = new Date(fromMs).toISOString();
  const rows = await ds.query<
    {
      dealer_id: string;
      serial_number: string;
      event_id: string;
      at: Date;
      hours: string | null;
      lat: number | null;
      lon: number | null;
    }[]
  >(
    `WITH u AS (SELECT * FROM unnest($1::text[], $2::text[]) AS u(dealer_id, serial_number))
     SELECT r.dealer_id, r.serial_number, r.event_id, r.occurred_at AS at, r.operating_hours AS hours,
            r.latitude AS lat, r.longitude AS lon
       FROM u JOIN telematics_readings r ON r.dealer_id = u.dealer_id AND r.serial_number = u.serial_number
      WHERE r.occurred_at > $3 AND r.occurred_at <= $4
     UNION ALL
     SELECT p.* FROM u CROSS JOIN LATERAL (
       SELECT r.dealer_id, r.serial_number, r.event_id, r.occurred_at, r.operating_hours, NULL::float8, NULL::float8
         FROM telematics_readings r WHERE r.dealer_id = u.dealer_id AND r.serial_number = u.serial_number
          AND r.occurred_at <= $3 AND r.operating_hours IS NOT NULL
        ORDER BY r.occurred_at DESC, r.event_id DESC LIMIT 1) p
     UNION ALL
     SELECT p.* FROM u CROSS JOIN LATERAL (
       SELECT r.dealer_id, r.serial_number, r.event_id, r.occurred_at, NULL::numeric, r.latitude, r.longitude
         FROM telematics_readings r WHERE r.dealer_id = u.dealer_id AND r.serial_number = u.serial_number
          AND r.occurred_at <= $3 AND r.latitude IS NOT NULL AND r.longitude IS NOT NULL
        ORDER BY r.occurred_at DESC, r.event_id DESC LIMIT 1) p`,
    [units.map((u) => u.dealerId), units.map((u) => u.serialNumber), from, new Date(endMs).toISOString()],
  );
  const byMachine = new Map<string, { readings: MeterReading[]; locations: LocationFix[] }>();
  for (const r of rows) {
    const k = `${r.dealer_id}\u0000${r.serial_number}`;
    const m = byMachine.get(k) ?? { readings: [], locations: [] };
    const at = new Date(r.at).getTime();
    if (r.hours !== null) m.readings.push({ at, eventId: r.event_id, hours: Number(r.hours) });
    if (r.lat !== null && r.lon !== null)
      m.locations.push({ at, eventId: r.event_id, lat: r.lat, lon: r.lon });
    byMachine.set(k, m);
  }
  const byStamp = (a: { at: number; eventId: string }, b: { at: number; eventId: string }) =>
    a.at - b.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
  for (const u of units) {
    const m = byMachine.get(`${u.dealerId}\u0000${u.serialNumber}`);
    if (!m) continue;
    const state: MachineState = {
      dealerId: u.dealerId,
      serialNumber: u.serialNumber,
      customerId: u.customerId,
      branchId: u.branchId ?? '',
      readings: m.readings.sort(byStamp),
      locations: m.locations.sort(byStamp),
      faults: [],
      covers: [],
      workOrders: [],
    };
    const rules = resolveRules(ruleSet, u.dealerId);
    u.parked = checkMachineParked(state, endMs, rules).suppression !== null;
    u.relocated = checkMachineRelocated(state, endMs, rules).suppression !== null;
  }
}

/** Ground truth written by the simulator (`simulate --labels`), one entry per machine. */
export interface GroundTruth {
  dealerId: string;
  serialNumber: string;
  lapsedAt: string | null;
  soldAt?: string | null;
  parkedAt?: string | null;
  /** The first telematics fix from the new site. */
  relocatedAt?: string | null;
  /** The owner at delivery, and at the end (the buyer, when sold): checked against the data's owners. */
  customerId?: string;
  finalCustomerId?: string;
}

/** How the units of one cut-off matched the ground truth. */
export interface TruthMatch {
  labels: Map<string, boolean>;
  /** Units the truth has no entry for (left out). */
  unmatched: number;
  /** Units the truth knows, left out as sold in the horizon or relocated. */
  excluded: { sold: number; relocated: number };
  /** Units whose owner at the cut-off differs from the truth's (a labels file of another history). */
  ownerMismatches: { unit: PopulationUnit; truthOwner: string }[];
}

/**
 * Labels from the simulator's ground truth instead of the events: a unit lapsed at cut-off c when its
 * machine's last dealer purchase is at or before c. Left out: units the truth does not know, machines
 * sold within the horizon (c, c + h] — as the population leaves them out — and machines relocated by
 * then as MACHINE_RELOCATED sees it: their first fix from the new site more than `outsideDays` whole
 * days before c + h (the rule set's threshold for the dealer). A machine sold before c stays: its unit
 * is the buyer's, who keeps buying (a negative), exactly as in the population derived from the events.
 * Whether a machine still runs (parked) comes from its telematics in both modes (`PopulationUnit.parked`).
 */
export function truthLabels(
  units: PopulationUnit[],
  truth: GroundTruth[],
  cutoffMs: number,
  horizonDays: number,
  outsideDays: (dealerId: string) => number = () => 0,
): TruthMatch {
  const byMachine = new Map(truth.map((t) => [`${t.dealerId}\u0000${t.serialNumber}`, t]));
  const end = cutoffMs + horizonDays * DAY;
  const at = (iso: string | null | undefined) => (iso ? Date.parse(iso) : undefined);
  const out: TruthMatch = {
    labels: new Map(),
    unmatched: 0,
    excluded: { sold: 0, relocated: 0 },
    ownerMismatches: [],
  };
  for (const u of units) {
    const t = byMachine.get(`${u.dealerId}\u0000${u.serialNumber}`);
    if (!t) {
      out.unmatched++;
      continue;
    }
    const sold = at(t.soldAt);
    const owner = sold !== undefined && sold <= cutoffMs ? t.finalCustomerId : t.customerId;
    if (owner !== undefined && owner !== u.customerId)
      out.ownerMismatches.push({ unit: u, truthOwner: owner });
    if (sold !== undefined && sold > cutoffMs && sold <= end) {
      out.excluded.sold++;
      continue;
    }
    const moved = at(t.relocatedAt);
    if (moved !== undefined && Math.floor((end - moved) / DAY) > outsideDays(u.dealerId)) {
      out.excluded.relocated++;
      continue;
    }
    out.labels.set(unitKey(u), t.lapsedAt !== null && Date.parse(t.lapsedAt) <= cutoffMs);
  }
  return out;
}
