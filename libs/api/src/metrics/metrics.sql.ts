import type { DataSource } from 'typeorm';
import type { CustomerRevenue, WarrantyEnd } from './formulas';

/**
 * Reads of the retention metrics over the projections, one dealer and optionally one branch. Every
 * query is parameterised: $1 dealer, $2 branch (NULL = whole dealer), then instants.
 */
export interface MetricsScope {
  dealerId: string;
  branchId: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const num = (v: string | null) => (v === null ? 0 : Number(v));
const ms = (d: Date | null) => (d === null ? null : d.getTime());

/**
 * Machines whose coverage (standard warranty, or a later extended cover / contract) ended in [from, to):
 * a term ends at the earlier of its end date and its `warranty.expired` event. With the first dealer labour
 * visit after the end (an order still open, or closed with labour > 0, as the risk rules count it) and the
 * first sale (ownership transfer, or a MACHINE_SOLD suppression) or relocation (MACHINE_RELOCATED) after it.
 * Branch: the machine's.
 */
export async function warrantyEnds(
  ds: DataSource,
  s: MetricsScope,
  fromMs: number,
  toMs: number,
): Promise<WarrantyEnd[]> {
  const rows = await ds.query<
    { serial_number: string; ended_at: Date; first_visit: Date | null; left_at: Date | null }[]
  >(
    `WITH ends AS (
       SELECT w.serial_number, max(LEAST(w.ends_at, w.expired_at)) AS ended_at
         FROM warranties w WHERE w.dealer_id = $1
        GROUP BY w.serial_number HAVING bool_or(w.contract_id = 'standard'))
     SELECT e.serial_number, e.ended_at,
            (SELECT min(COALESCE(wo.opened_at, wo.closed_at)) FROM work_orders wo
              WHERE wo.dealer_id = $1 AND wo.serial_number = e.serial_number
                AND COALESCE(wo.opened_at, wo.closed_at) >= e.ended_at
                AND (wo.closed_at IS NULL OR wo.labor_amount > 0)) AS first_visit,
            LEAST(
              (SELECT min(o.transferred_at) FROM ownership_history o
                WHERE o.dealer_id = $1 AND o.serial_number = e.serial_number AND o.transferred_at >= e.ended_at),
              (SELECT min(x.since) FROM suppressions x
                WHERE x.dealer_id = $1 AND x.serial_number = e.serial_number
                  AND x.reason_code IN ('MACHINE_SOLD', 'MACHINE_RELOCATED') AND x.since >= e.ended_at)
            ) AS left_at
       FROM ends e JOIN machines m ON m.dealer_id = $1 AND m.serial_number = e.serial_number
      WHERE e.ended_at >= $3 AND e.ended_at < $4 AND ($2::text IS NULL OR m.branch_id = $2)
      ORDER BY e.serial_number`,
    [s.dealerId, s.branchId, iso(fromMs), iso(toMs)],
  );
  return rows.map((r) => ({
    serialNumber: r.serial_number,
    endedAtMs: r.ended_at.getTime(),
    firstLabourVisitMs: ms(r.first_visit),
    leftAtMs: ms(r.left_at),
  }));
}

/**
 * Engine hours run in [from, to) by the machines of the scope (and of one customer, its current ones, when
 * given): per machine, the highest meter reading in
 * the period minus the last reading before it (or the lowest in the period when there is none), never
 * negative. A machine without readings in the period ran 0 h as far as we know.
 */
export async function hoursRun(
  ds: DataSource,
  s: MetricsScope,
  fromMs: number,
  toMs: number,
  customerId: string | null = null,
): Promise<number> {
  const rows = await ds.query<{ hours: string | null }[]>(
    `SELECT sum(GREATEST(0, w.hi - COALESCE(b.before, w.lo))) AS hours
       FROM machines m
       CROSS JOIN LATERAL (
         SELECT max(r.operating_hours) AS hi, min(r.operating_hours) AS lo FROM telematics_readings r
          WHERE r.dealer_id = $1 AND r.serial_number = m.serial_number AND r.occurred_at >= $3 AND r.occurred_at < $4
       ) w
       LEFT JOIN LATERAL (
         SELECT r.operating_hours AS before FROM telematics_readings r
          WHERE r.dealer_id = $1 AND r.serial_number = m.serial_number AND r.occurred_at < $3
            AND r.operating_hours IS NOT NULL
          ORDER BY r.occurred_at DESC LIMIT 1
       ) b ON true
      WHERE m.dealer_id = $1 AND ($2::text IS NULL OR m.branch_id = $2) AND w.hi IS NOT NULL
        AND ($5::text IS NULL OR m.customer_id = $5)`,
    [s.dealerId, s.branchId, iso(fromMs), iso(toMs), customerId],
  );
  return num(rows[0]?.hours ?? null);
}

export interface RevenueFacts {
  customers: CustomerRevenue[];
  /** Parts + service gross profit of the period, from the lines that carry one. */
  grossProfit: number;
  /** Lines of the period without a gross profit (left out of grossProfit). */
  linesWithoutGrossProfit: number;
  /** Their revenue by margin kind: parts (parts sales, work orders' parts) and labour (work orders' labour). */
  partsRevenueWithoutGrossProfit: number;
  labourRevenueWithoutGrossProfit: number;
  currencies: string[];
}

/**
 * Parts + service revenue per customer in the period [from, to) and in the prior period [priorFrom, from):
 * parts sales at their amount, closed work orders at labour + parts. Branch: the invoice's / order's.
 * Gross profit of the period: the lines' own, and the parts and labour revenue of the lines without one.
 */
export async function revenue(
  ds: DataSource,
  s: MetricsScope,
  priorFromMs: number,
  fromMs: number,
  toMs: number,
): Promise<RevenueFacts> {
  const lines = `
    SELECT customer_id, branch_id, amount AS revenue, gross_profit, sold_at AS at, currency,
           amount AS parts_revenue, 0 AS labour_revenue
      FROM parts_sales WHERE dealer_id = $1 AND sold_at >= $3 AND sold_at < $5
    UNION ALL
    SELECT customer_id, branch_id, COALESCE(labor_amount, 0) + COALESCE(parts_amount, 0), gross_profit,
           closed_at, currency, COALESCE(parts_amount, 0), COALESCE(labor_amount, 0)
      FROM work_orders WHERE dealer_id = $1 AND closed_at >= $3 AND closed_at < $5`;
  const params = [s.dealerId, s.branchId, iso(priorFromMs), iso(fromMs), iso(toMs)];
  const [perCustomer, totals] = await Promise.all([
    ds.query<{ customer_id: string; prior: string | null; current: string | null }[]>(
      `SELECT customer_id, sum(revenue) FILTER (WHERE at < $4) AS prior, sum(revenue) FILTER (WHERE at >= $4) AS current
         FROM (${lines}) l WHERE ($2::text IS NULL OR branch_id = $2)
        GROUP BY customer_id ORDER BY customer_id`,
      params,
    ),
    ds.query<
      {
        gross_profit: string | null;
        without: string;
        parts_without: string | null;
        labour_without: string | null;
        currencies: string[] | null;
      }[]
    >(
      `SELECT sum(gross_profit) AS gross_profit, count(*) FILTER (WHERE gross_profit IS NULL) AS without,
              sum(parts_revenue) FILTER (WHERE gross_profit IS NULL) AS parts_without,
              sum(labour_revenue) FILTER (WHERE gross_profit IS NULL) AS labour_without,
              array_agg(DISTINCT currency) FILTER (WHERE currency IS NOT NULL) AS currencies
         FROM (${lines}) l WHERE ($2::text IS NULL OR branch_id = $2) AND at >= $4`,
      params,
    ),
  ]);
  return {
    customers: perCustomer.map((r) => ({
      customerId: r.customer_id,
      prior: num(r.prior),
      current: num(r.current),
    })),
    grossProfit: num(totals[0]?.gross_profit ?? null),
    linesWithoutGrossProfit: Number(totals[0]?.without ?? 0),
    partsRevenueWithoutGrossProfit: num(totals[0]?.parts_without ?? null),
    labourRevenueWithoutGrossProfit: num(totals[0]?.labour_without ?? null),
    currencies: totals[0]?.currencies ?? [],
  };
}

/**
 * NPS scores answered in [from, to). A survey has no branch of its own: it takes its work order's, else its
 * machine's, else its customer's.
 */
export async function npsScores(
  ds: DataSource,
  s: MetricsScope,
  fromMs: number,
  toMs: number,
): Promise<number[]> {
  const rows = await ds.query<{ nps: number }[]>(
    `SELECT sv.nps FROM surveys sv
       LEFT JOIN work_orders wo ON wo.dealer_id = sv.dealer_id AND wo.work_order_id = sv.work_order_id
       LEFT JOIN machines m ON m.dealer_id = sv.dealer_id AND m.serial_number = sv.serial_number
       LEFT JOIN customers c ON c.dealer_id = sv.dealer_id AND c.customer_id = sv.customer_id
      WHERE sv.dealer_id = $1 AND sv.nps IS NOT NULL AND sv.responded_at >= $3 AND sv.responded_at < $4
        AND ($2::text IS NULL OR COALESCE(wo.branch_id, m.branch_id, c.branch_id) = $2)
      ORDER BY sv.survey_id`,
    [s.dealerId, s.branchId, iso(fromMs), iso(toMs)],
  );
  return rows.map((r) => Number(r.nps));
}
