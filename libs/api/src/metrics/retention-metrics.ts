import type { DataSource } from 'typeorm';
import type { MarginRates } from '@rp/value';
import type { Caller } from '../auth/token';
import { ApiError } from '../http/api-error';
import {
  absorptionRate,
  captureRate,
  earnedGrowthRate,
  netPromoterScore,
  netRevenueRetention,
  postWarrantyRetention,
  round,
} from './formulas';
import { hoursRun, npsScores, revenue, warrantyEnds, type MetricsScope } from './metrics.sql';
import { resolvePeriod, type RetentionMetricsQuery } from './period';

/**
 * Dealer settings the figures need and nobody configures yet (libs/config has no per-dealer economics):
 * while null, capture and absorption rates are null with a `missing` explanation, never an invented number.
 */
export interface DealerEconomics {
  revenuePerHour: number | null;
  /** Fixed operating expenses of the fixed-operations department, per day (scaled to the period). */
  fixedExpensesPerDay: number | null;
  /** The value model's margin rates, for lines without a gross profit (absorption rate). */
  marginRates: MarginRates | null;
}
const UNCONFIGURED: DealerEconomics = {
  revenuePerHour: null,
  fixedExpensesPerDay: null,
  marginRates: null,
};

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The caller's scope: a manager's own branch (naming another is refused), an admin's whole dealer or one branch. */
export function metricsScope(caller: Caller, branch: string | undefined): MetricsScope {
  if (caller.role === 'manager') {
    if (branch !== undefined && branch !== caller.branchId) {
      throw new ApiError(
        'FORBIDDEN',
        `query.branch: a manager sees only their own branch (${caller.branchId})`,
      );
    }
    return { dealerId: caller.dealerId, branchId: caller.branchId ?? null };
  }
  return { dealerId: caller.dealerId, branchId: branch ?? null };
}

/** GET /api/v1/metrics/retention: PRODUCT.md "Metrics" over the projections, as of `asOfMs` (the API's clock). */
export async function retentionMetrics(
  ds: DataSource,
  caller: Caller,
  query: RetentionMetricsQuery,
  asOfMs: number,
  economics: DealerEconomics = UNCONFIGURED,
) {
  const scope = metricsScope(caller, query.branch);
  const period = resolvePeriod(query, dayOf(asOfMs));
  const length = period.toMs - period.fromMs;
  const priorFromMs = period.fromMs - length;
  const [ends, hours, rev, scores] = await Promise.all([
    warrantyEnds(ds, scope, period.fromMs, period.toMs),
    hoursRun(ds, scope, period.fromMs, period.toMs),
    revenue(ds, scope, priorFromMs, period.fromMs, period.toMs),
    npsScores(ds, scope, period.fromMs, period.toMs),
  ]);
  const periodRevenue = round(rev.customers.reduce((sum, c) => sum + c.current, 0));
  const fixedExpenses =
    economics.fixedExpensesPerDay === null ? null : (economics.fixedExpensesPerDay * length) / DAY_MS;
  const nrr = netRevenueRetention(rev.customers);
  return {
    dealerId: scope.dealerId,
    branchId: scope.branchId,
    period: { from: period.from, to: period.to },
    priorPeriod: { from: dayOf(priorFromMs), to: dayOf(period.fromMs - DAY_MS) },
    asOf: new Date(asOfMs).toISOString(),
    currencies: rev.currencies,
    postWarrantyRetention: postWarrantyRetention(ends, period.fromMs, period.toMs, asOfMs),
    captureRate: { ...captureRate(periodRevenue, hours, economics.revenuePerHour), hoursRun: hours },
    absorptionRate: absorptionRate(
      {
        reported: rev.grossProfit,
        linesWithout: rev.linesWithoutGrossProfit,
        partsRevenueWithout: rev.partsRevenueWithoutGrossProfit,
        labourRevenueWithout: rev.labourRevenueWithoutGrossProfit,
      },
      economics.marginRates,
      fixedExpenses,
    ),
    netRevenueRetention: nrr,
    earnedGrowthRate: earnedGrowthRate(nrr.value, null),
    nps: netPromoterScore(scores),
  };
}
