import type { DetectorResult } from '../model/decision';
import type { CustomerContext } from '../model/detector';
import type { EffectiveRules } from '../rules/resolve-rules';
import { customerAsOf, machineAsOf } from '../support/as-of';
import { fired, makeDecision, quiet } from '../support/make-decision';
import { DAY_MS, nextAfter } from '../support/time';
import { lastLabourVisit } from '../support/work-orders';

/**
 * SELF_MAINTENANCE_SHIFT (customer-level): maintenance kits / filters bought within the last `windowDays`
 * and no dealer labour work order (any machine, or none) opened within them. The episode starts at the
 * first kit of the current run of kit purchases since the last labour visit.
 */
export function detectSelfMaintenanceShift(
  ctx: CustomerContext,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const c = customerAsOf(ctx.customer, asOfMs);
  const t = rules.thresholds.selfMaintenanceShift;
  const window = t.windowDays * DAY_MS;
  // Most instants have no kit bought within the window: nothing to look up then (the same result as below).
  if (!kitBoughtAfter(c.purchases, asOfMs - window, t.categories)) return quiet();
  const lastLabour = lastLabourVisit([
    ...c.unattributedWorkOrders,
    ...ctx.machines.flatMap((m) => machineAsOf(m, asOfMs).workOrders),
  ]);
  const since = lastLabour?.openedAt ?? -Infinity;
  // The kits bought after the last labour visit, in time order: a suffix of the (sorted) purchases, read
  // backwards from the newest instead of filtering years of purchases at every instant.
  const kits: (typeof c.purchases)[number][] = [];
  for (let i = c.purchases.length - 1; i >= 0 && c.purchases[i].at > since; i--) {
    const p = c.purchases[i];
    if (p.category !== undefined && t.categories.includes(p.category)) kits.push(p);
  }
  kits.reverse();
  const recent = kits.filter((p) => p.at > asOfMs - window);
  if (recent.length === 0) return quiet(); // only a new kit purchase can start it
  if (lastLabour !== undefined && lastLabour.openedAt > asOfMs - window) {
    return quiet(nextAfter(asOfMs, lastLabour.openedAt + window));
  }
  let start = kits.length - 1;
  while (start > 0 && kits[start].at - kits[start - 1].at < window) start--;

  return fired(
    makeDecision(
      c,
      {
        reasonCode: 'SELF_MAINTENANCE_SHIFT',
        serialNumber: null,
        episode: `after:${kits[start].eventId}`,
        message: 'customer services the machine itself; offer a maintenance contract',
        evidence: [...recent.map((p) => p.eventId).reverse(), lastLabour?.eventId],
      },
      asOfMs,
      rules,
    ),
  );
}

/** Some kit purchase lies after `fromMs`: read backwards from the newest (an as-of view's purchases are sorted by time). */
function kitBoughtAfter(
  purchases: readonly { at: number; category?: string }[],
  fromMs: number,
  categories: readonly string[],
): boolean {
  for (let i = purchases.length - 1; i >= 0 && purchases[i].at > fromMs; i--) {
    const category = purchases[i].category;
    if (category !== undefined && categories.includes(category)) return true;
  }
  return false;
}
