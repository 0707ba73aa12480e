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
  const lastLabour = lastLabourVisit([
    ...c.unattributedWorkOrders,
    ...ctx.machines.flatMap((m) => machineAsOf(m, asOfMs).workOrders),
  ]);
  const since = lastLabour?.openedAt ?? -Infinity;
  const kits = c.purchases.filter(
    (p) => p.category !== undefined && t.categories.includes(p.category) && p.at > since,
  );
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
