import type { DetectorResult } from '../model/decision';
import type { CustomerContext } from '../model/detector';
import type { EffectiveRules } from '../rules/resolve-rules';
import { customerAsOf } from '../support/as-of';
import { lastOf } from '../support/lists';
import { fired, makeDecision, quiet } from '../support/make-decision';
import { quantile } from '../support/numbers';
import { purchaseDays } from '../support/purchases';
import { DAY_MS, nextAfter, wholeDays } from '../support/time';

/**
 * PURCHASE_GAP (customer-level): days since the last purchase > max(minDays, the customer's own
 * `quantile` gap between purchase days). The customer's own gap needs `minPurchases` purchase days; with fewer
 * (at least one) it has none, and max(minDays, none) is minDays — when the purchases are the whole history.
 * When older ones lie before the window loaded (`purchaseBeforeHistory`) the gaps are not known: quiet.
 */
export function detectPurchaseGap(
  ctx: CustomerContext,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const c = customerAsOf(ctx.customer, asOfMs);
  const t = rules.thresholds.purchaseGap;
  const days = purchaseDays(c.purchases);
  const lastPurchase = lastOf(c.purchases);
  if (lastPurchase === undefined) return quiet();
  const ownGap = days.length >= t.minPurchases;
  if (!ownGap && c.purchaseBeforeHistory !== undefined) return quiet();

  const usual = ownGap ? Math.max(t.minDays, gapQuantile(days, t.quantile)) : t.minDays;
  const gapDays = wholeDays(lastPurchase.at, asOfMs);
  if (gapDays <= usual) return quiet(nextAfter(asOfMs, lastPurchase.at + (usual + 1) * DAY_MS));

  return fired(
    makeDecision(
      c,
      {
        reasonCode: 'PURCHASE_GAP',
        serialNumber: null,
        episode: `after:${lastPurchase.eventId}`,
        message: `purchase gap ${gapDays} days vs usual ${usual} days`,
        evidence: [lastPurchase.eventId],
      },
      asOfMs,
      rules,
    ),
  );
}

/** Per list of purchase days (memoised: the same list serves every instant until a purchase is added). */
const gapQuantiles = new WeakMap<readonly number[], Map<number, number>>();

/** The `q` quantile of the gaps between consecutive purchase days (at least two days). */
function gapQuantile(days: readonly number[], q: number): number {
  let byQ = gapQuantiles.get(days);
  if (byQ === undefined) gapQuantiles.set(days, (byQ = new Map<number, number>()));
  let found = byQ.get(q);
  if (found === undefined) {
    found = quantile(
      days.slice(1).map((d, i) => d - days[i]),
      q,
    );
    byQ.set(q, found);
  }
  return found;
}
