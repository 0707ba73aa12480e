import type { Executor } from '../projections/sql';
import { ms } from './sql-helpers';

/** One requested customer: master data, whether anything at all is known, and its newest event. */
export interface CustomerScopeRow {
  customer_id: string;
  branch_id: string | null;
  /** A customers row, a timeline event, an owned machine or a machine sold away exists. */
  present: boolean;
  /** Newest event time of the customer (its timeline, its machines' telematics, its sales), epoch ms. */
  newest_ms: number | null;
}

/** `ownership.transferred` of one machine, as stored in ownership_history. */
export interface TransferJson {
  eventId: string;
  from: string | null;
  to: string;
  at: number;
  /** `branchId` of the transfer, if it named one. */
  branch: string | null;
}

/** A machine owned now by, or sold away from, one of the requested customers. */
export interface MachineScopeRow {
  serial_number: string;
  customer_id: string | null;
  branch_id: string | null;
  model: string | null;
  last_ms: number | null;
  last_event_id: string | null;
  /** First delivery (`warranty.registered`), epoch ms. */
  delivered_ms: number | null;
  /** Branch of the delivery (the standard warranty's registration). */
  delivered_branch_id: string | null;
  /** Every transfer of the machine, in event-time order. */
  transfers: TransferJson[];
}

const CUSTOMERS_SQL = `
SELECT x.customer_id, c.branch_id,
       (c.customer_id IS NOT NULL OR t.at IS NOT NULL OR m.n IS NOT NULL OR o.at IS NOT NULL) AS present,
       ${ms('GREATEST(t.at, m.at, o.at)')} AS newest_ms
  FROM unnest($2::text[]) AS x(customer_id)
  LEFT JOIN customers c ON c.dealer_id = $1 AND c.customer_id = x.customer_id
  LEFT JOIN LATERAL (
    SELECT max(tl.occurred_at) AS at FROM timeline_events tl WHERE tl.dealer_id = $1 AND tl.customer_id = x.customer_id
  ) t ON true
  LEFT JOIN (
    SELECT customer_id, max(last_telematics_at) AS at, count(*) AS n FROM machines
     WHERE dealer_id = $1 AND customer_id = ANY($2::text[]) GROUP BY customer_id
  ) m ON m.customer_id = x.customer_id
  LEFT JOIN (
    SELECT from_customer_id, max(transferred_at) AS at FROM ownership_history
     WHERE dealer_id = $1 AND from_customer_id = ANY($2::text[]) GROUP BY from_customer_id
  ) o ON o.from_customer_id = x.customer_id`;

const MACHINES_SQL = `
SELECT m.serial_number, m.customer_id, m.branch_id, m.model,
       ${ms('m.last_telematics_at')} AS last_ms, m.last_telematics_event_id AS last_event_id,
       ${ms('m.delivered_at')} AS delivered_ms,
       (SELECT w.branch_id FROM warranties w WHERE w.dealer_id = m.dealer_id AND w.serial_number = m.serial_number
           AND w.contract_id = 'standard') AS delivered_branch_id,
       COALESCE((
         SELECT json_agg(json_build_object('eventId', o.event_id, 'from', o.from_customer_id,
                                           'to', o.to_customer_id, 'at', ${ms('o.transferred_at')},
                                           'branch', o.branch_id)
                         ORDER BY o.transferred_at, o.event_id)
           FROM ownership_history o WHERE o.dealer_id = m.dealer_id AND o.serial_number = m.serial_number
       ), '[]'::json) AS transfers
  FROM machines m
 WHERE m.dealer_id = $1
   AND (m.customer_id = ANY($2::text[])
        OR m.serial_number IN (SELECT serial_number FROM ownership_history
                                WHERE dealer_id = $1 AND from_customer_id = ANY($2::text[])))`;

export const loadCustomerScope = (db: Executor, dealerId: string, customerIds: string[]) =>
  db.query<CustomerScopeRow[]>(CUSTOMERS_SQL, [dealerId, customerIds]);

export const loadMachineScope = (db: Executor, dealerId: string, customerIds: string[]) =>
  db.query<MachineScopeRow[]>(MACHINES_SQL, [dealerId, customerIds]);
