import type { ComplaintSeverity, PartsCategory } from '@rp/contracts';
import type { Executor } from '../projections/sql';
import { ms } from './sql-helpers';

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

export const loadPartsSales = (db: Executor, dealerId: string, customerIds: string[], since: string) =>
  db.query<PartsSaleRow[]>(PARTS_SQL, [dealerId, customerIds, since]);

export const loadComplaints = (db: Executor, dealerId: string, customerIds: string[], since: string) =>
  db.query<ComplaintRow[]>(COMPLAINTS_SQL, [dealerId, customerIds, since]);

export const loadSurveys = (db: Executor, dealerId: string, customerIds: string[], since: string) =>
  db.query<SurveyRow[]>(SURVEYS_SQL, [dealerId, customerIds, since]);
