import type { DataSource } from 'typeorm';
import { unitKey, type Unit } from './metrics';

export interface PopulationOptions {
  /** Days after the cut-off in which a purchase must happen for the unit not to count as lapsed. */
  horizonDays: number;
  /** Engine hours the machine must run in the horizon to count as still running. */
  minRunningHours: number;
}

export interface PopulationUnit extends Unit {
  branchId: string | null;
  /** Derived from the events after the cut-off: no dealer parts or service purchase in the horizon. */
  lapsed: boolean;
}

const DAY = 86_400_000;

/**
 * The units eligible at a cut-off and their derived labels, in one set-based query: machines delivered
 * by then, with their owner at the cut-off, still running (≥ minRunningHours in the horizon) and not
 * sold in the horizon. Lapsed = no work order closed or parts sold to that owner for the machine (or
 * without a serial) in the horizon. Only the labels look past the cut-off.
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
       SELECT m.dealer_id, m.serial_number, m.branch_id, COALESCE(
         (SELECT o.to_customer_id FROM ownership_history o WHERE o.dealer_id = m.dealer_id
             AND o.serial_number = m.serial_number AND o.transferred_at <= $1
           ORDER BY o.transferred_at DESC, o.event_id DESC LIMIT 1),
         (SELECT o.from_customer_id FROM ownership_history o WHERE o.dealer_id = m.dealer_id
             AND o.serial_number = m.serial_number AND o.transferred_at > $1
           ORDER BY o.transferred_at, o.event_id LIMIT 1),
         m.customer_id) AS customer_id
         FROM machines m WHERE COALESCE(m.delivered_at, m.owner_since) <= $1)
     SELECT w.dealer_id, w.serial_number, w.customer_id, w.branch_id,
            NOT (EXISTS (SELECT 1 FROM work_orders x WHERE x.dealer_id = w.dealer_id AND x.customer_id = w.customer_id
                          AND (x.serial_number = w.serial_number OR x.serial_number IS NULL)
                          AND x.closed_at > $1 AND x.closed_at <= $2)
              OR EXISTS (SELECT 1 FROM parts_sales x WHERE x.dealer_id = w.dealer_id AND x.customer_id = w.customer_id
                          AND (x.serial_number = w.serial_number OR x.serial_number IS NULL)
                          AND x.sold_at > $1 AND x.sold_at <= $2)) AS lapsed
       FROM owned w
      WHERE w.customer_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ownership_history o WHERE o.dealer_id = w.dealer_id
                          AND o.serial_number = w.serial_number AND o.transferred_at > $1 AND o.transferred_at <= $2)
        AND (SELECT max(r.operating_hours) FROM telematics_readings r WHERE r.dealer_id = w.dealer_id
               AND r.serial_number = w.serial_number AND r.occurred_at > $1 AND r.occurred_at <= $2)
          - COALESCE((SELECT max(r.operating_hours) FROM telematics_readings r WHERE r.dealer_id = w.dealer_id
               AND r.serial_number = w.serial_number AND r.occurred_at <= $1), 0) >= $3
      ORDER BY 1, 3, 2`,
    [c, h, o.minRunningHours],
  );
  return rows.map((r) => ({
    dealerId: r.dealer_id,
    customerId: r.customer_id,
    serialNumber: r.serial_number,
    branchId: r.branch_id,
    lapsed: r.lapsed,
  }));
}

/** Ground truth written by the simulator (`simulate --labels`), one entry per machine. */
export interface GroundTruth {
  dealerId: string;
  serialNumber: string;
  lapsedAt: string | null;
  soldAt?: string | null;
  parkedAt?: string | null;
}

/**
 * Labels from the simulator's ground truth instead of the events: a unit lapsed at cut-off c when its
 * machine's last dealer purchase is at or before c. Left out: units the truth does not know, machines
 * sold within the horizon (c, c + h] — as the population leaves them out — and machines parked at any
 * time up to c + h (not running). A machine sold before c stays: its unit is the buyer's, who keeps
 * buying (a negative), exactly as in the population derived from the events.
 */
export function truthLabels(
  units: PopulationUnit[],
  truth: GroundTruth[],
  cutoffMs: number,
  horizonDays: number,
): Map<string, boolean> {
  const byMachine = new Map(truth.map((t) => [`${t.dealerId}\u0000${t.serialNumber}`, t]));
  const end = cutoffMs + horizonDays * DAY;
  const at = (iso: string | null | undefined) => (iso ? Date.parse(iso) : undefined);
  const soldInHorizon = (iso: string | null | undefined) => {
    const t = at(iso);
    return t !== undefined && t > cutoffMs && t <= end;
  };
  const parkedByEnd = (iso: string | null | undefined) => {
    const t = at(iso);
    return t !== undefined && t <= end;
  };
  const out = new Map<string, boolean>();
  for (const u of units) {
    const t = byMachine.get(`${u.dealerId}\u0000${u.serialNumber}`);
    if (!t || soldInHorizon(t.soldAt) || parkedByEnd(t.parkedAt)) continue;
    out.set(unitKey(u), t.lapsedAt !== null && Date.parse(t.lapsedAt) <= cutoffMs);
  }
  return out;
}
