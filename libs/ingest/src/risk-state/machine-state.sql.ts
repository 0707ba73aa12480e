import type { FaultSeverity, WorkOrderKind } from '@rp/contracts';
import type { Executor } from '../projections/sql';
import { ms } from './sql-helpers';

/** A `faultCodes` entry as the telematics projector stored it (instants normalised to ISO strings). */
export interface FaultCodeJson {
  code: string;
  severity: FaultSeverity;
  firstSeenAt?: string;
  clearedAt?: string;
}

export interface ReadingRow {
  serial_number: string;
  event_id: string;
  at: number;
  hours: string | null;
  lat: number | null;
  lon: number | null;
  /** Null for a missing or an empty list (`reports_faults` tells them apart). */
  fault_codes: FaultCodeJson[] | null;
  /** The snapshot carried a `faultCodes` list (the readings table stores a missing list as NULL). */
  reports_faults: boolean;
}

export interface WarrantyRow {
  serial_number: string;
  contract_id: string;
  coverage: string;
  starts_ms: number | null;
  ends_ms: number | null;
  hours_limit: string | null;
  expired_ms: number | null;
  event_id: string;
  registered_event_id: string | null;
  expired_event_id: string | null;
  reached_ms: number | null;
  reached_event_id: string | null;
  /** Event time of the term's first `warranty.registered` (standard) or `warranty.extended` (its contract). */
  known_ms: number | null;
}

export interface WorkOrderRow {
  work_order_id: string;
  customer_id: string;
  serial_number: string | null;
  kind: WorkOrderKind;
  opened_ms: number | null;
  closed_ms: number | null;
  labor_amount: string | null;
  service_amount: string | null;
  gross_profit: string | null;
  hours_at_open: string | null;
  hours_at_service: string | null;
  downtime_hours: string | null;
  opened_event_id: string | null;
  closed_event_id: string | null;
  /** The latest labour visit (open, or closed with labour) of its machine and kind, whatever its age. */
  last_visit: boolean;
}

// A snapshot without `faultCodes` is stored with fault_codes NULL (an empty list is []); an empty list is read
// as NULL too (no array parsed per row), told apart by reports_faults.
// One index range scan per machine, written out: the sweep runs this as a prepared statement, and the
// planner's generic plan for `serial_number = ANY($2)` was 2.5× slower than the per-machine scans.
const READINGS_SQL = `
SELECT r.serial_number, r.event_id, ${ms('r.occurred_at')} AS at, r.operating_hours AS hours,
       r.latitude AS lat, r.longitude AS lon, NULLIF(r.fault_codes, '[]'::jsonb) AS fault_codes,
       r.fault_codes IS NOT NULL AS reports_faults
  FROM unnest($2::text[]) AS s(serial_number)
  CROSS JOIN LATERAL (
    SELECT * FROM telematics_readings t
     WHERE t.dealer_id = $1 AND t.serial_number = s.serial_number AND t.occurred_at >= $3::timestamptz) r`;

// Event ids the row no longer holds (its event_id is its newest event) come from the timeline; the first
// reading at or above the hour limit is searched only when the machine's meter ever reached it.
const WARRANTIES_SQL = `
SELECT w.serial_number, w.contract_id, w.coverage, ${ms('w.starts_at')} AS starts_ms, ${ms('w.ends_at')} AS ends_ms,
       w.hours_limit, ${ms('w.expired_at')} AS expired_ms, w.event_id,
       reg.event_id AS registered_event_id, exp.event_id AS expired_event_id,
       reach.at AS reached_ms, reach.event_id AS reached_event_id, ${ms('known.at')} AS known_ms
  FROM warranties w
  LEFT JOIN machines m ON m.dealer_id = w.dealer_id AND m.serial_number = w.serial_number
  LEFT JOIN LATERAL (
    SELECT t.event_id FROM timeline_events t
     WHERE w.contract_id = 'standard' AND t.dealer_id = w.dealer_id AND t.serial_number = w.serial_number
       AND t.type = 'warranty.registered'
     ORDER BY t.occurred_at DESC, t.event_id DESC LIMIT 1) reg ON true
  LEFT JOIN LATERAL (
    SELECT t.event_id FROM timeline_events t
     WHERE w.expired_at IS NOT NULL AND t.dealer_id = w.dealer_id AND t.serial_number = w.serial_number
       AND t.type = 'warranty.expired' AND t.summary ->> 'coverage' = w.coverage
     ORDER BY t.occurred_at DESC, t.event_id DESC LIMIT 1) exp ON true
  LEFT JOIN LATERAL (
    SELECT ${ms('r.occurred_at')} AS at, r.event_id FROM telematics_readings r
     WHERE m.hour_meter >= w.hours_limit AND r.dealer_id = w.dealer_id AND r.serial_number = w.serial_number
       AND r.operating_hours >= w.hours_limit
     ORDER BY r.occurred_at, r.event_id LIMIT 1) reach ON true
  LEFT JOIN LATERAL (
    SELECT min(t.occurred_at) AS at FROM timeline_events t
     WHERE t.dealer_id = w.dealer_id AND t.serial_number = w.serial_number
       AND ((w.contract_id = 'standard' AND t.type = 'warranty.registered')
         OR (t.type = 'warranty.extended' AND t.summary ->> 'contractId' = w.contract_id))) known ON true
 WHERE w.dealer_id = $1 AND w.serial_number = ANY($2::text[])`;

// Machine orders ($2 serials) and the customers' own orders ($3: unattributed ones and service invoices).
// Kept: touched since $4, still open, or the latest labour visit of its machine and kind (MAINTENANCE_OVERDUE
// needs the last service however old it is).
const WORK_ORDERS_SQL = `
WITH wo AS (
  SELECT w.*, COALESCE(w.opened_at, w.closed_at) AS open_at,
         (w.closed_at IS NULL OR w.labor_amount > 0) AS visit
    FROM work_orders w
   WHERE w.dealer_id = $1 AND (w.serial_number = ANY($2::text[]) OR w.customer_id = ANY($3::text[]))
), ranked AS (
  SELECT wo.*, row_number() OVER (PARTITION BY serial_number, kind, visit
                                  ORDER BY open_at DESC, work_order_id DESC) AS rk
    FROM wo
)
SELECT work_order_id, customer_id, serial_number, kind, ${ms('opened_at')} AS opened_ms,
       ${ms('closed_at')} AS closed_ms, labor_amount, labor_amount + parts_amount AS service_amount, gross_profit,
       hours_at_open, hours_at_service, downtime_hours, opened_event_id, closed_event_id,
       (visit AND serial_number IS NOT NULL AND rk = 1) AS last_visit
  FROM ranked
 WHERE GREATEST(opened_at, closed_at) >= $4::timestamptz OR closed_at IS NULL
    OR (visit AND serial_number IS NOT NULL AND rk = 1)`;

export const loadReadings = (db: Executor, dealerId: string, serials: string[], since: string) =>
  db.query<ReadingRow[]>(READINGS_SQL, [dealerId, serials, since]);

export const loadWarranties = (db: Executor, dealerId: string, serials: string[]) =>
  db.query<WarrantyRow[]>(WARRANTIES_SQL, [dealerId, serials]);

export const loadWorkOrders = (
  db: Executor,
  dealerId: string,
  serials: string[],
  customerIds: string[],
  since: string,
) => db.query<WorkOrderRow[]>(WORK_ORDERS_SQL, [dealerId, serials, customerIds, since]);
