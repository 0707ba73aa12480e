import type { DataSource } from 'typeorm';
import { segment, type Segment, type SegmentFacts } from '@rp/value';
import { hoursRun } from '../metrics/metrics.sql';

const DAY_MS = 86_400_000;
const FLEET_WINDOW_DAYS = 30;
const CAPTURE_WINDOW_DAYS = 365;

export interface CustomerSegment {
  segment: Segment | null;
  /** The figures the segment was decided on, and why any of them is unknown. */
  basis: SegmentFacts & { missing: Record<string, string> };
}

interface SegmentRow {
  clv: string | null;
  p_alive: string | null;
  customers: string;
  below: string;
  erosion: boolean;
  alive_drop: boolean;
  last_purchase: Date | null;
  customer_since: Date | null;
  year_revenue: string;
}

/**
 * The customer's segment (PRODUCT.md "Value and priority"), from stored figures, as of `asOfMs`:
 * - CLV and the model's P(alive) (BG/NBD, `decisions.p_alive`) from the customer's latest decision; the CLV
 *   percentile is the share of the dealer's customers (their latest decision each) whose CLV is strictly lower,
 *   so the top 10 % reach 0.9. No decision yet: both unknown; a decision without a model estimate: P(alive)
 *   unknown — never 1 − p_lapse, which is the configured default retention then, and rounded — so never
 *   high-value.
 * - migrating: an active task (open, claimed or holdout) carries SPEND_EROSION or ALIVE_PROBABILITY_DROP.
 * - days since the last purchase: the latest parts sale or closed work order; a customer who never bought
 *   counts from the earliest start of ownership of its machines; neither known: unknown, so never frozen.
 * - capture rate: the customer's parts + service revenue of the last 365 days ÷ (hours its current machines ran
 *   then × the dealer's revenue-per-hour benchmark, DEALER_ECONOMICS); unknown without a benchmark or hours,
 *   so never potential then. Fleet hours (current machines, last 30 days) are shown either way.
 * Dealer-wide on purpose: a segment is a property of the customer, whichever branch looks at it.
 */
export async function customerSegment(
  ds: DataSource,
  dealerId: string,
  customerId: string,
  asOfMs: number,
  revenuePerHour: number | null = null,
): Promise<CustomerSegment> {
  const yearAgo = asOfMs - CAPTURE_WINDOW_DAYS * DAY_MS;
  const [rows, fleetHours, yearHours] = await Promise.all([
    ds.query<SegmentRow[]>(
      `WITH latest AS (
         SELECT DISTINCT ON (customer_id) customer_id, clv, p_alive FROM decisions WHERE dealer_id = $1
          ORDER BY customer_id, detected_at DESC, decision_id DESC),
       mine AS (SELECT clv, p_alive FROM latest WHERE customer_id = $2),
       active AS (
         SELECT r ->> 'code' AS code FROM tasks t CROSS JOIN LATERAL jsonb_array_elements(t.reasons) r
          WHERE t.dealer_id = $1 AND t.customer_id = $2 AND t.status IN ('open', 'claimed', 'holdout'))
       SELECT (SELECT clv FROM mine) AS clv, (SELECT p_alive FROM mine) AS p_alive,
              (SELECT count(*) FROM latest) AS customers,
              (SELECT count(*) FROM latest WHERE clv < (SELECT clv FROM mine)) AS below,
              EXISTS (SELECT 1 FROM active WHERE code = 'SPEND_EROSION') AS erosion,
              EXISTS (SELECT 1 FROM active WHERE code = 'ALIVE_PROBABILITY_DROP') AS alive_drop,
              GREATEST(
                (SELECT max(sold_at) FROM parts_sales WHERE dealer_id = $1 AND customer_id = $2),
                (SELECT max(closed_at) FROM work_orders WHERE dealer_id = $1 AND customer_id = $2)
              ) AS last_purchase,
              (SELECT min(COALESCE(owner_since, delivered_at)) FROM machines
                WHERE dealer_id = $1 AND customer_id = $2) AS customer_since,
              COALESCE((SELECT sum(amount) FROM parts_sales
                         WHERE dealer_id = $1 AND customer_id = $2 AND sold_at > $3 AND sold_at <= $4), 0)
            + COALESCE((SELECT sum(COALESCE(labor_amount, 0) + COALESCE(parts_amount, 0)) FROM work_orders
                         WHERE dealer_id = $1 AND customer_id = $2 AND closed_at > $3 AND closed_at <= $4), 0)
                AS year_revenue`,
      [dealerId, customerId, new Date(yearAgo).toISOString(), new Date(asOfMs).toISOString()],
    ),
    hoursRun(ds, { dealerId, branchId: null }, asOfMs - FLEET_WINDOW_DAYS * DAY_MS, asOfMs + 1, customerId),
    revenuePerHour === null
      ? Promise.resolve(0)
      : hoursRun(ds, { dealerId, branchId: null }, yearAgo, asOfMs + 1, customerId),
  ]);
  const r = rows[0];
  const missing: Record<string, string> = {};
  const hasDecision = r.clv !== null;
  if (!hasDecision) {
    missing.clvPercentile = 'no decision yet carries a CLV for this customer';
    missing.pAlive = 'no decision yet carries a P(alive) for this customer';
  } else if (r.p_alive === null) {
    missing.pAlive =
      'the latest decision has no BG/NBD estimate of P(alive) (no model for the dealer yet, or no repeat purchase)';
  }
  const expected = revenuePerHour === null ? 0 : yearHours * revenuePerHour;
  if (revenuePerHour === null)
    missing.captureRate = 'no revenue-per-hour benchmark is configured for the dealer (DEALER_ECONOMICS)';
  else if (expected === 0) missing.captureRate = 'its machines ran no recorded hours in the last 365 days';
  const since = r.last_purchase ?? r.customer_since;
  if (since === null) missing.daysSinceLastPurchase = 'no purchase and no machine ownership on record';
  const facts: SegmentFacts = {
    clvPercentile: hasDecision ? Number(r.below) / Number(r.customers) : null,
    pAlive: r.p_alive === null ? null : Number(r.p_alive),
    captureRate: expected > 0 ? Math.round((Number(r.year_revenue) / expected) * 1e6) / 1e6 : null,
    fleetHoursLast30d: fleetHours,
    hasSpendErosion: r.erosion,
    hasAliveDrop: r.alive_drop,
    daysSinceLastPurchase:
      since === null ? null : Math.max(0, Math.floor((asOfMs - since.getTime()) / DAY_MS)),
  };
  return { segment: segment(facts), basis: { ...facts, missing } };
}
