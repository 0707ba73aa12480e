import type { DetectorResult } from '../model/decision';
import type { CustomerContext } from '../model/detector';
import type { EffectiveRules } from '../rules/resolve-rules';
import { customerAsOf, machineAsOf } from '../support/as-of';
import { lastOf } from '../support/lists';
import { fired, makeDecision, quiet } from '../support/make-decision';
import { latestReading } from '../support/meter';
import { gte } from '../support/numbers';
import { DAY_MS, dayIndex, nextAfter, wholeDays } from '../support/time';

const dayStart = (ms: number): number => dayIndex(ms) * DAY_MS;

/**
 * ACTIVE_BUT_SILENT (customer-level): the fleet ran >= minFleetHours in the last fleetWindowDays and the
 * last parts/service purchase is >= silentDays old. Needs at least one purchase on record.
 *
 * Fleet hours come per UTC day (stamped at the day's start) and the as-of view keeps only days complete by
 * asOf, so "the last fleetWindowDays" are the fleetWindowDays whole days before asOf's own day.
 */
export function detectActiveButSilent(
  ctx: CustomerContext,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const c = customerAsOf(ctx.customer, asOfMs);
  const t = rules.thresholds.activeButSilent;
  const lastPurchase = lastOf(c.purchases);
  if (lastPurchase === undefined) return quiet();
  const windowStart = dayStart(asOfMs) - t.fleetWindowDays * DAY_MS;
  const fleetHours = c.fleetHours.filter((d) => d.at >= windowStart).reduce((sum, d) => sum + d.hours, 0);
  // Only new telematics can raise it: a day that completes at the next midnight was read before it (its
  // readings are events, and the next one is evaluated), so no timer per customer and day.
  if (!gte(fleetHours, t.minFleetHours)) return quiet();

  const silentDays = wholeDays(lastPurchase.at, asOfMs);
  if (silentDays < t.silentDays) return quiet(nextAfter(asOfMs, lastPurchase.at + t.silentDays * DAY_MS));

  const workingMachines = ctx.machines
    .map((m) => ({ serial: m.serialNumber, last: latestReading(machineAsOf(m, asOfMs).readings) }))
    .filter((x) => x.last !== undefined && x.last.at >= windowStart)
    .sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  return fired(
    makeDecision(
      c,
      {
        reasonCode: 'ACTIVE_BUT_SILENT',
        serialNumber: null,
        episode: `after:${lastPurchase.eventId}`,
        message: `fleet working, no purchases for ${silentDays} days: likely buying elsewhere`,
        evidence: [lastPurchase.eventId, ...workingMachines.map((x) => x.last?.eventId)],
      },
      asOfMs,
      rules,
    ),
  );
}
