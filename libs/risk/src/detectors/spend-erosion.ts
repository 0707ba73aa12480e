import type { CustomerState } from '../model/customer-state';
import type { DetectorResult } from '../model/decision';
import type { CustomerContext } from '../model/detector';
import type { EffectiveRules } from '../rules/resolve-rules';
import { customerAsOf } from '../support/as-of';
import { fired, makeDecision, quiet } from '../support/make-decision';
import { gte, lt, signedPercent } from '../support/numbers';
import { lastPurchaseBetween, revenueBetween } from '../support/purchases';
import { monthIndex, monthLabel, monthStart } from '../support/time';
import { sumBetween } from '../support/window-sum';

const hoursOf = (d: { hours: number }): number => d.hours;

/** Revenue and fleet hours of the `months` complete UTC months before month `m`, and a year earlier. */
function compare(c: CustomerState, m: number, months: number) {
  const sum = (from: number, to: number) => {
    const [start, end] = [monthStart(from), monthStart(to)];
    return {
      revenue: revenueBetween(c.purchases, start, end),
      hours: sumBetween(c.fleetHours, start, end, 'hours', hoursOf),
    };
  };
  return { current: sum(m - months, m), previous: sum(m - 12 - months, m - 12) };
}

function erodedAt(c: CustomerState, m: number, t: EffectiveRules['thresholds']['spendErosion']): boolean {
  const { current, previous } = compare(c, m, t.months);
  return (
    previous.revenue > 0 &&
    previous.hours > 0 &&
    lt(current.revenue, t.maxSpendRatio * previous.revenue) &&
    gte(current.hours, t.minHoursRatio * previous.hours)
  );
}

const EPISODE_LOOKBACK_MONTHS = 12;

/**
 * SPEND_EROSION (customer-level): revenue of the last `months` complete calendar months < maxSpendRatio x
 * the same months a year earlier, while fleet hours are >= minHoursRatio x last year's (both years need
 * revenue and hours). Re-checked at each month start; the episode is the first month of the current run.
 */
export function detectSpendErosion(
  ctx: CustomerContext,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const c = customerAsOf(ctx.customer, asOfMs);
  const t = rules.thresholds.spendErosion;
  const m = monthIndex(asOfMs);
  if (!erodedAt(c, m, t)) {
    // Time moves the windows: worth a re-check next month only if some purchase can enter last year's window.
    const since = monthStart(m + 1 - 12 - t.months);
    const relevant = c.purchases.some((p) => p.at >= since);
    return quiet(relevant ? monthStart(m + 1) : null);
  }
  let start = m;
  while (start > m - EPISODE_LOOKBACK_MONTHS && erodedAt(c, start - 1, t)) start--;

  const { current, previous } = compare(c, m, t.months);
  return fired(
    makeDecision(
      c,
      {
        reasonCode: 'SPEND_EROSION',
        serialNumber: null,
        episode: `since:${monthLabel(start)}`,
        message: `spend ${signedPercent(current.revenue / previous.revenue - 1)} while hours ${signedPercent(current.hours / previous.hours - 1)}`,
        evidence: [
          lastPurchaseBetween(c.purchases, monthStart(m - t.months), monthStart(m))?.eventId,
          lastPurchaseBetween(c.purchases, monthStart(m - 12 - t.months), monthStart(m - 12))?.eventId,
        ],
      },
      asOfMs,
      rules,
    ),
  );
}
