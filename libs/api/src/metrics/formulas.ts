import type { MarginRates } from '@rp/value';

/**
 * The dealer-management figures of PRODUCT.md "Metrics", as pure functions over plain data: no clock, no
 * I/O. Every figure carries its numerator and denominator so a manager can read how it was made, and is
 * null — with `missing` saying why — when it cannot be computed (nothing to divide by, or a figure that
 * needs configuration nobody has set). Rates are fractions (0.8 = 80 %); NPS is on its usual −100…100 scale.
 */
export interface Figure {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** How the figure is made, in words. */
  formula: string;
  /** Why value is null; null when it is known. */
  missing: string | null;
}

const figure = (
  formula: string,
  numerator: number | null,
  denominator: number | null,
  missingWhenZero: string,
  missing: string | null = null,
): Figure => {
  if (missing !== null) return { value: null, numerator, denominator, formula, missing };
  if (numerator === null || denominator === null || denominator === 0) {
    return { value: null, numerator, denominator, formula, missing: missingWhenZero };
  }
  return { value: round(numerator / denominator), numerator, denominator, formula, missing: null };
};

/** Six decimals: enough for a rate, and stable in JSON (no 0.30000000000000004). */
export const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The instant `months` calendar months after `ms` (UTC; the 31st clamps to the month's last day). */
export function addMonthsUtc(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const timeOfDay = ms - Date.UTC(y, d.getUTCMonth(), d.getUTCDate());
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) + timeOfDay;
}

/** One machine whose coverage ended, with what happened after. */
export interface WarrantyEnd {
  serialNumber: string;
  /** End of all coverage (standard warranty, or a later extended cover / contract). */
  endedAtMs: number;
  /** Opening of the first dealer labour work order at or after the end, if any. */
  firstLabourVisitMs: number | null;
  /** First time the machine was sold (ownership transfer) or relocated out of the service area after the end. */
  leftAtMs: number | null;
}

export const RETENTION_WINDOW_MONTHS = 12;

export interface RetentionFigure extends Figure {
  /** Ended in the period but sold or relocated before a dealer visit within the window: not counted. */
  excluded: number;
  /** Ended in the period, 12-month window still open as of now: not counted until it closes. */
  pending: number;
  /** Of the pending ones, those that already had a dealer labour visit (they will count as retained). */
  returnedSoFar: number;
}

/**
 * Post-warranty retention: of the machines whose coverage ended in [fromMs, toMs) (and by asOfMs), the share
 * with a dealer labour work order opened within 12 months after the end. A machine sold or relocated before
 * such a visit is excluded (it left; that is no lapse); one that came back first stays retained even if sold
 * later. A machine still inside its 12 months without a visit is `pending`: counting it as lapsed would
 * understate the rate of a recent period, so it enters the figure once it returns or its window closes.
 */
export function postWarrantyRetention(
  machines: readonly WarrantyEnd[],
  fromMs: number,
  toMs: number,
  asOfMs: number,
): RetentionFigure {
  let retained = 0;
  let lapsed = 0;
  let excluded = 0;
  let pending = 0;
  let returnedSoFar = 0;
  for (const m of machines) {
    if (m.endedAtMs < fromMs || m.endedAtMs >= toMs || m.endedAtMs > asOfMs) continue;
    const windowEnd = addMonthsUtc(m.endedAtMs, RETENTION_WINDOW_MONTHS);
    const visit =
      m.firstLabourVisitMs !== null &&
      m.firstLabourVisitMs >= m.endedAtMs &&
      m.firstLabourVisitMs < windowEnd &&
      m.firstLabourVisitMs <= asOfMs
        ? m.firstLabourVisitMs
        : null;
    const left =
      m.leftAtMs !== null && m.leftAtMs >= m.endedAtMs && m.leftAtMs < windowEnd ? m.leftAtMs : null;
    // Only closed windows count: a machine that came back early would otherwise be counted while the ones
    // that will not come back are still pending — a period under 12 months old would read ~100 %.
    const closed = asOfMs >= windowEnd;
    if (visit !== null && (left === null || visit <= left)) {
      if (closed) retained++;
      else {
        pending++;
        returnedSoFar++;
      }
    } else if (left !== null && left <= asOfMs) excluded++;
    else if (!closed) pending++;
    else lapsed++;
  }
  const base = figure(
    'machines with a dealer labour work order within 12 months after their warranty ended ÷ machines whose warranty ended in the period and whose 12 months are over (sold/relocated excluded)',
    retained,
    retained + lapsed,
    pending > 0
      ? `no machine whose warranty ended in the period has completed its 12 months yet (${pending} pending, ${returnedSoFar} of them back so far; a period ending 12 months ago or earlier is complete)`
      : 'no machine’s warranty ended in the period',
  );
  return { ...base, excluded, pending, returnedSoFar };
}

/**
 * Capture rate: actual parts + service revenue ÷ expected revenue (hours run × revenue-per-hour benchmark).
 * Null without a configured benchmark.
 */
export function captureRate(revenue: number, hoursRun: number, revenuePerHour: number | null): Figure {
  const formula = 'parts + service revenue ÷ (engine hours run × revenue-per-hour benchmark)';
  if (revenuePerHour === null) {
    return figure(
      formula,
      revenue,
      null,
      '',
      'no revenue-per-hour benchmark is configured for the dealer (DEALER_ECONOMICS), so the expected revenue is unknown',
    );
  }
  return figure(
    formula,
    revenue,
    round(hoursRun * revenuePerHour),
    'no engine hours were reported in the period',
  );
}

/** The period's parts + service gross profit as the lines carry it. */
export interface GrossProfitLines {
  /** Sum of the gross profits the DMS sent. */
  reported: number;
  /** Lines without a gross profit (`grossProfit` is optional in EVENTS.md). */
  linesWithout: number;
  /** Their revenue by margin kind: parts (parts sales, work orders' parts) and labour (work orders' labour). */
  partsRevenueWithout: number;
  labourRevenueWithout: number;
}

export interface AbsorptionFigure extends Figure {
  /** Lines of the period without a gross profit. */
  linesWithoutGrossProfit: number;
  /** Of them, those whose gross profit was estimated at the margin rates (all of them, or none without rates). */
  linesEstimated: number;
  /** Their estimated gross profit, in the numerator: parts revenue × parts rate + labour × labour rate. */
  estimatedGrossProfit: number | null;
}

/**
 * Absorption rate: (parts + service gross profit) ÷ fixed operating expenses of the period. A line without a
 * gross profit counts at the configured margin rates, as in the value model (PRODUCT "Value and priority"),
 * never as 0; without rates the gross profit is unknown, so the figure is null.
 */
export function absorptionRate(
  gp: GrossProfitLines,
  marginRates: MarginRates | null,
  fixedExpenses: number | null,
): AbsorptionFigure {
  const formula =
    '(parts + service gross profit; a line without one at the configured margin rates) ÷ fixed operating expenses';
  const estimated =
    gp.linesWithout === 0
      ? 0
      : marginRates === null
        ? null
        : round(gp.partsRevenueWithout * marginRates.parts + gp.labourRevenueWithout * marginRates.labour);
  const numerator = estimated === null ? null : round(gp.reported + estimated);
  const missing =
    fixedExpenses === null
      ? 'no fixed operating expenses are configured for the dealer (DEALER_ECONOMICS)'
      : estimated === null
        ? `${gp.linesWithout} line(s) of the period carry no gross profit and no margin rates are configured to estimate it`
        : null;
  return {
    ...figure(formula, numerator, fixedExpenses, 'the fixed operating expenses are zero', missing),
    linesWithoutGrossProfit: gp.linesWithout,
    linesEstimated: estimated === null ? 0 : gp.linesWithout,
    estimatedGrossProfit: estimated,
  };
}

/** One customer's parts + service revenue in the period and in the equally long period before it. */
export interface CustomerRevenue {
  customerId: string;
  prior: number;
  current: number;
}

/**
 * Net revenue retention: this period's revenue of the customers who bought in the prior period (same length,
 * just before) ÷ their revenue in the prior period. Customers new in this period do not count.
 */
export function netRevenueRetention(rows: readonly CustomerRevenue[]): Figure {
  let kept = 0;
  let base = 0;
  for (const r of rows) {
    if (r.prior <= 0) continue;
    base += r.prior;
    kept += r.current;
  }
  return figure(
    "this period's revenue from customers who bought in the prior period ÷ their revenue in the prior period",
    round(kept),
    round(base),
    'no customer bought in the prior period',
  );
}

/**
 * Earned growth rate = NRR + earned new customer revenue (as a share of the prior period's revenue) − 100 %.
 * Null when either part is unknown.
 */
export function earnedGrowthRate(nrr: number | null, earnedNewShare: number | null): Figure {
  const formula = 'net revenue retention + earned new customer revenue ÷ prior revenue − 100 %';
  if (nrr === null) return figure(formula, null, null, 'net revenue retention is unknown');
  if (earnedNewShare === null) {
    return figure(
      formula,
      null,
      null,
      '',
      'earned new customers (won by referral or returning) cannot be told apart: no event records how a new customer came',
    );
  }
  const value = round(nrr + earnedNewShare - 1);
  return { value, numerator: null, denominator: null, formula, missing: null };
}

export interface NpsFigure extends Figure {
  promoters: number;
  passives: number;
  detractors: number;
}

/** NPS: (promoters (9–10) − detractors (0–6)) ÷ responses × 100. */
export function netPromoterScore(scores: readonly number[]): NpsFigure {
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const base = figure(
    '(promoters scoring 9–10 − detractors scoring 0–6) ÷ responses × 100',
    promoters - detractors,
    scores.length,
    'no survey with an NPS score was answered in the period',
  );
  return {
    ...base,
    value: base.value === null ? null : round(((promoters - detractors) / scores.length) * 100),
    promoters,
    passives: scores.length - promoters - detractors,
    detractors,
  };
}
