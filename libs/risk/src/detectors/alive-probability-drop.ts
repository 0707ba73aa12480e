import type { AliveEstimate } from '../model/customer-state';
import type { DetectorResult } from '../model/decision';
import type { CustomerContext } from '../model/detector';
import type { EffectiveRules } from '../rules/resolve-rules';
import { customerAsOf } from '../support/as-of';
import { lastOf } from '../support/lists';
import { fired, makeDecision, quiet } from '../support/make-decision';
import { gte, lt, percent } from '../support/numbers';
import { purchaseDays } from '../support/purchases';
import { DAY_MS, isoInstant } from '../support/time';

type Limits = EffectiveRules['thresholds']['aliveProbabilityDrop'];

/** Highest earlier estimate within the window before point i, if any. */
function peakBefore(points: readonly AliveEstimate[], i: number, t: Limits): number | undefined {
  let peak: number | undefined;
  for (let j = i - 1; j >= 0 && points[j].at >= points[i].at - t.windowDays * DAY_MS; j--) {
    if (peak === undefined || points[j].p > peak) peak = points[j].p;
  }
  return peak;
}

function holds(points: readonly AliveEstimate[], i: number, t: Limits): boolean {
  const peak = peakBefore(points, i, t);
  return lt(points[i].p, t.below) || (peak !== undefined && gte(peak - points[i].p, t.drop));
}

/**
 * ALIVE_PROBABILITY_DROP (customer-level): the latest P(alive) < `below`, or it fell by >= `drop` from a
 * value within the last `windowDays`; only for customers with >= minRepeatPurchases repeat purchase days.
 * The episode starts at the first estimate of the current run of estimates meeting the condition.
 */
export function detectAliveProbabilityDrop(
  ctx: CustomerContext,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const c = customerAsOf(ctx.customer, asOfMs);
  const t = rules.thresholds.aliveProbabilityDrop;
  const points = c.pAlive;
  const latest = points.length - 1;
  if (
    purchaseDays(c.purchases).length - 1 < t.minRepeatPurchases ||
    latest < 0 ||
    !holds(points, latest, t)
  ) {
    return quiet();
  }
  let start = latest;
  while (start > 0 && holds(points, start - 1, t)) start--;
  const peak = peakBefore(points, latest, t);
  const was = peak === undefined ? '' : ` (was ${percent(peak)}%)`;
  return fired(
    makeDecision(
      c,
      {
        reasonCode: 'ALIVE_PROBABILITY_DROP',
        serialNumber: null,
        episode: `since:${isoInstant(points[start].at)}`,
        message: `model says ${percent(points[latest].p)}% still active${was}`,
        evidence: [lastOf(c.purchases)?.eventId],
      },
      asOfMs,
      rules,
    ),
  );
}
