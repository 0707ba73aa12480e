import type { AliveEstimate, Purchase } from '../model/customer-state';
import type { DetectorResult } from '../model/decision';
import type { CustomerContext } from '../model/detector';
import type { EffectiveRules } from '../rules/resolve-rules';
import { customerAsOf } from '../support/as-of';
import { makeDecision, quiet } from '../support/make-decision';
import { gte, lt, percentDown } from '../support/numbers';
import { dayIndex, DAY_MS, isoInstant, weekStart, WEEK_MS } from '../support/time';

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

/** The first purchase on the customer's (repeats + 1)-th purchase day (sorted purchases), if any. */
function qualifiedAt(purchases: readonly Purchase[], repeats: number): number | undefined {
  let days = 0;
  let last: number | undefined;
  for (const p of purchases) {
    const day = dayIndex(p.at);
    if (day === last) continue;
    last = day;
    if (++days > repeats) return p.at;
  }
  return undefined;
}

/**
 * ALIVE_PROBABILITY_DROP (customer-level), on the weekly P(alive) estimates: the latest estimate is < `below`,
 * or >= `drop` under one of the `windowDays` before it, at a time the customer had >= minRepeatPurchases
 * repeat purchase days. The episode starts at the first estimate of the current run of estimates meeting the
 * condition, however far back it began. Estimates sit on week starts and the rule checks again at the next
 * one while the customer qualifies (a drop needs no new event), so neither the episode nor the detection
 * instant depends on when else the customer happens to be evaluated.
 */
export function detectAliveProbabilityDrop(
  ctx: CustomerContext,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const c = customerAsOf(ctx.customer, asOfMs);
  const t = rules.thresholds.aliveProbabilityDrop;
  const qualified = qualifiedAt(c.purchases, t.minRepeatPurchases);
  if (qualified === undefined) return quiet();
  const nextWeek = weekStart(asOfMs) + WEEK_MS;
  const points = c.pAlive;
  const meets = (i: number) => points[i].at >= qualified && holds(points, i, t);
  const latest = points.length - 1;
  if (latest < 0 || !meets(latest)) return quiet(nextWeek);
  let start = latest;
  while (start > 0 && meets(start - 1)) start--;
  // Rounded down, both: a P(alive) below the threshold never reads as at it (0.496 is 49 %, not 50 %).
  const now = percentDown(points[latest].p);
  const peak = peakBefore(points, latest, t);
  // The highest estimate of the window, when it was higher (weekly estimates always have a predecessor).
  const was = peak === undefined || percentDown(peak) <= now ? '' : ` (was ${percentDown(peak)}%)`;
  const lastPurchase = c.purchases.filter((p) => p.at <= points[latest].at).at(-1);
  const decision = makeDecision(
    c,
    {
      reasonCode: 'ALIVE_PROBABILITY_DROP',
      serialNumber: null,
      episode: `since:${isoInstant(points[start].at)}`,
      message: `model says ${now}% still active${was}`,
      evidence: [lastPurchase?.eventId],
    },
    asOfMs,
    rules,
  );
  return { decisions: [decision], nextCheckAtMs: nextWeek };
}
