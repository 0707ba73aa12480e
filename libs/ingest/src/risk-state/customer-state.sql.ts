import type { ComplaintSeverity, PartsCategory } from '@rp/contracts';
import type { Executor } from '../projections/sql';
import type { OwnershipInterval } from './ownership';
import { isoMs, ms } from './sql-helpers';

export interface PartsSaleRow {
  customer_id: string;
  at: number;
  event_id: string;
  amount: string;
  category: PartsCategory | null;
}

export interface ComplaintRow {
  customer_id: string;
  complaint_id: string;
  opened_ms: number;
  resolved_ms: number | null;
  serial_number: string | null;
  severity: ComplaintSeverity | null;
  opened_event_id: string;
}

export interface SurveyRow {
  customer_id: string;
  survey_id: string;
  at: number;
  event_id: string;
  serial_number: string | null;
  nps: number | null;
  ces: number | null;
  csat: number | null;
  comment: string | null;
}

export interface FleetHoursRow {
  customer_id: string;
  day_ms: number;
  hours: string;
}

const PARTS_SQL = `
SELECT customer_id, ${ms('sold_at')} AS at, event_id, amount, category
  FROM parts_sales
 WHERE dealer_id = $1 AND customer_id = ANY($2::text[]) AND sold_at >= $3::timestamptz`;

// A complaint without its `complaint.opened` (only the resolution arrived) has no opening to evaluate.
const COMPLAINTS_SQL = `
SELECT customer_id, complaint_id, ${ms('opened_at')} AS opened_ms, ${ms('resolved_at')} AS resolved_ms,
       serial_number, severity, opened_event_id
  FROM complaints
 WHERE dealer_id = $1 AND customer_id = ANY($2::text[]) AND opened_at IS NOT NULL
   AND (resolved_at IS NULL OR GREATEST(opened_at, resolved_at) >= $3::timestamptz)`;

const SURVEYS_SQL = `
SELECT customer_id, survey_id, ${ms('responded_at')} AS at, event_id, serial_number, nps, ces, csat, comment
  FROM surveys
 WHERE dealer_id = $1 AND customer_id = ANY($2::text[]) AND responded_at >= $3::timestamptz`;

/**
 * Hours the customers' fleets ran per UTC day. Per (customer, machine), over the machine's readings since the
 * customer's own history start: the running maximum of the hour meter (a lower reading is a glitch, never a
 * negative run), its maximum per UTC day, and the increase over the previous day with a reading. A day counts
 * for the customer when the day's last reading falls in one of its ownership intervals of the machine.
 */
const FLEET_HOURS_SQL = `
WITH own AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
           AS o(customer_id, serial_number, from_at, to_at, since)
), span AS (
  SELECT DISTINCT customer_id, serial_number, since FROM own
), meter AS (
  SELECT s.customer_id, s.serial_number, r.occurred_at,
         max(r.operating_hours) OVER (PARTITION BY s.customer_id, s.serial_number
                                      ORDER BY r.occurred_at, r.event_id) AS hours
    FROM span s
    JOIN telematics_readings r ON r.dealer_id = $1 AND r.serial_number = s.serial_number
                              AND r.occurred_at >= s.since AND r.operating_hours IS NOT NULL
), daily AS (
  SELECT customer_id, serial_number, date_trunc('day', occurred_at, 'UTC') AS day,
         max(hours) AS hours, max(occurred_at) AS last_at
    FROM meter GROUP BY customer_id, serial_number, date_trunc('day', occurred_at, 'UTC')
), run AS (
  SELECT daily.*, hours - lag(hours) OVER (PARTITION BY customer_id, serial_number ORDER BY day) AS ran
    FROM daily
)
SELECT run.customer_id, ${ms('run.day')} AS day_ms, sum(run.ran) AS hours
  FROM run
 WHERE run.ran IS NOT NULL
   AND EXISTS (SELECT 1 FROM own o
                WHERE o.customer_id = run.customer_id AND o.serial_number = run.serial_number
                  AND (o.from_at IS NULL OR run.last_at >= o.from_at)
                  AND (o.to_at IS NULL OR run.last_at < o.to_at))
 GROUP BY run.customer_id, run.day`;

export const loadPartsSales = (db: Executor, dealerId: string, customerIds: string[], since: string) =>
  db.query<PartsSaleRow[]>(PARTS_SQL, [dealerId, customerIds, since]);

export const loadComplaints = (db: Executor, dealerId: string, customerIds: string[], since: string) =>
  db.query<ComplaintRow[]>(COMPLAINTS_SQL, [dealerId, customerIds, since]);

export const loadSurveys = (db: Executor, dealerId: string, customerIds: string[], since: string) =>
  db.query<SurveyRow[]>(SURVEYS_SQL, [dealerId, customerIds, since]);

export function loadFleetHours(
  db: Executor,
  dealerId: string,
  intervals: OwnershipInterval[],
  sinceOf: (customerId: string) => number,
): Promise<FleetHoursRow[]> {
  const bound = (v: number | null) => (v === null ? null : isoMs(v));
  return db.query<FleetHoursRow[]>(FLEET_HOURS_SQL, [
    dealerId,
    intervals.map((i) => i.customerId),
    intervals.map((i) => i.serialNumber),
    intervals.map((i) => bound(i.fromMs)),
    intervals.map((i) => bound(i.toMs)),
    intervals.map((i) => isoMs(sinceOf(i.customerId))),
  ]);
}
