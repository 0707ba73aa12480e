import type { ComplaintSeverity, PartsCategory } from '@rp/contracts';
import type { Executor } from '../projections/sql';
import { ms } from './sql-helpers';

export interface PartsSaleRow {
  customer_id: string;
  at: number;
  event_id: string;
  amount: string;
  category: PartsCategory | null;
  gross_profit: string | null;
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

const PARTS_SQL = `
SELECT customer_id, ${ms('sold_at')} AS at, event_id, amount, category, gross_profit
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

// P(alive) reads a customer's whole purchase history (BG/NBD's x, t_x, T), not only the window the rules
// load: per customer, the first purchase of each UTC day before its window (a day is one purchase there).
// Also the day's last purchase (latest instant, then highest event id, as the rules order purchases): the
// latest day's one is the purchase before the window that ACTIVE_BUT_SILENT measures the silence from.
const EARLIER_PURCHASE_DAYS_SQL = `
SELECT c.customer_id, min(x.at) AS at, max(x.at) AS last_at,
       (array_agg(x.event_id ORDER BY x.at DESC, x.event_id COLLATE "C" DESC))[1] AS last_event_id
  FROM unnest($2::text[], $3::timestamptz[]) AS c(customer_id, since)
 CROSS JOIN LATERAL (
   SELECT ${ms('sold_at')} AS at, p.event_id FROM parts_sales p
    WHERE p.dealer_id = $1 AND p.customer_id = c.customer_id AND p.sold_at < c.since
   UNION ALL
   SELECT ${ms('closed_at')}, w.closed_event_id FROM work_orders w
    WHERE w.dealer_id = $1 AND w.customer_id = c.customer_id AND w.closed_at < c.since
      AND w.closed_event_id IS NOT NULL) x
 GROUP BY c.customer_id, floor(x.at / 86400000)`;

export interface EarlierPurchaseDayRow {
  customer_id: string;
  /** The day's first purchase instant. */
  at: string | number;
  /** The day's last purchase: its instant and event. */
  last_at: string | number;
  last_event_id: string;
}

/**
 * Per customer (with the start of its window), each day with a purchase before that start: its first purchase
 * instant, and its last purchase.
 */
export const loadEarlierPurchaseDays = (
  db: Executor,
  dealerId: string,
  windows: readonly { customerId: string; since: string }[],
) =>
  db.query<EarlierPurchaseDayRow[]>(EARLIER_PURCHASE_DAYS_SQL, [
    dealerId,
    windows.map((w) => w.customerId),
    windows.map((w) => w.since),
  ]);

export const loadPartsSales = (db: Executor, dealerId: string, customerIds: string[], since: string) =>
  db.query<PartsSaleRow[]>(PARTS_SQL, [dealerId, customerIds, since]);

export const loadComplaints = (db: Executor, dealerId: string, customerIds: string[], since: string) =>
  db.query<ComplaintRow[]>(COMPLAINTS_SQL, [dealerId, customerIds, since]);

export const loadSurveys = (db: Executor, dealerId: string, customerIds: string[], since: string) =>
  db.query<SurveyRow[]>(SURVEYS_SQL, [dealerId, customerIds, since]);
