import type { DetectorResult } from '../model/decision';
import type { MachineState } from '../model/machine-state';
import { serviceIntervalHours, type EffectiveRules } from '../rules/resolve-rules';
import { machineAsOf } from '../support/as-of';
import { coverageEndAt } from '../support/coverage';
import { fired, makeDecision, quiet } from '../support/make-decision';
import { firstReaching, latestReading, meterAt, usageRatePerDay } from '../support/meter';
import { gt } from '../support/numbers';
import { DAY_MS, isoDate, MAX_INSTANT_MS, nextAfter } from '../support/time';
import { hoursAtService, isLabourVisit, lastLabourVisit } from '../support/work-orders';

/**
 * POST_WARRANTY_NO_SERVICE: coverage ended and no dealer labour work order was opened since, by
 * end + max(minDays, time until the meter reaches the next service interval at the machine's own rate). No
 * upper cap (PRODUCT has none): `maxDays` applies only to a machine whose rate is zero, which would otherwise
 * never be due; without telematics or a measurable rate the time to the interval is unknown and minDays applies.
 */
export function detectPostWarrantyNoService(
  state: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const m = machineAsOf(state, asOfMs);
  const endAt = coverageEndAt(m);
  if (endAt === null || m.warranty === undefined) return quiet();
  if (m.workOrders.some((wo) => isLabourVisit(wo) && wo.openedAt >= endAt)) return quiet();

  const dueAt = postWarrantyDueAt(m, endAt, rules);
  if (asOfMs < dueAt) return quiet(nextAfter(asOfMs, dueAt));

  return fired(
    makeDecision(
      m,
      {
        reasonCode: 'POST_WARRANTY_NO_SERVICE',
        serialNumber: m.serialNumber,
        episode: `ended:${isoDate(endAt)}`,
        message: `first post-warranty service not booked at the dealer (warranty of ${m.serialNumber} ended ${isoDate(endAt)})`,
        evidence: [
          m.warranty.eventId,
          m.warranty.expired?.eventId,
          lastLabourVisit(m.workOrders)?.eventId,
          latestReading(m.readings)?.eventId,
        ],
        urgency: { warrantyEndsAtMs: endAt, dueSinceMs: dueAt },
      },
      asOfMs,
      rules,
    ),
  );
}

/** The instant the first post-warranty service becomes overdue. Exported for tests and timers. */
export function postWarrantyDueAt(m: MachineState, endAt: number, rules: EffectiveRules): number {
  const t = rules.thresholds;
  const earliest = endAt + t.postWarrantyNoService.minDays * DAY_MS;
  const idle = endAt + t.postWarrantyNoService.maxDays * DAY_MS; // rate zero: never reaches the interval
  const last = latestReading(m.readings);
  if (last === undefined) return earliest; // no telematics: no own usage rate, use the minimum

  const service = lastLabourVisit(m.workOrders, t.service.maintenanceKinds);
  const meter = meterAt(m.readings, last.at) ?? last.hours;
  const baseline = service === undefined ? 0 : hoursAtService(service, m.readings, meter);
  const nextServiceHours = baseline + serviceIntervalHours(rules, m.model);

  const reached = firstReaching(m.readings, nextServiceHours);
  let reachAt: number;
  if (reached !== undefined) reachAt = reached.at;
  else {
    const rate = usageRatePerDay(m.readings, t.service.usageRateWindowDays);
    if (rate === null) return earliest;
    if (!gt(rate, 0)) return Math.max(earliest, idle);
    reachAt = last.at + ((nextServiceHours - meter) / rate) * DAY_MS;
  }
  // Uncapped, but a valid instant: a rate barely above zero puts the interval past any date.
  return Math.round(Math.min(MAX_INSTANT_MS, Math.max(earliest, reachAt)));
}
