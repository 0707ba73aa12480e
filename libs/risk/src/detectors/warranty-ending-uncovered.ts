import type { DetectorResult } from '../model/decision';
import type { MachineState } from '../model/machine-state';
import type { EffectiveRules } from '../rules/resolve-rules';
import { machineAsOf } from '../support/as-of';
import { activeCoverEndAt, termEndAt } from '../support/coverage';
import { fired, makeDecision, quiet } from '../support/make-decision';
import { latestReading, meterAt, usageRatePerDay } from '../support/meter';
import { gt, lte } from '../support/numbers';
import { DAY_MS, isoDate, nextAfter } from '../support/time';

/**
 * WARRANTY_ENDING_UNCOVERED: the standard warranty ends within `withinDays`, or the meter is within
 * `withinHours` of its hour limit, and no extended warranty / maintenance contract runs past now.
 */
export function detectWarrantyEndingUncovered(
  state: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const m = machineAsOf(state, asOfMs);
  const w = m.warranty;
  if (w === undefined) return quiet();
  const warrantyEndAt = termEndAt(w, m.readings);
  if (warrantyEndAt <= asOfMs) return quiet();
  const t = rules.thresholds.warrantyEndingUncovered;
  const dateDueAt = w.endsAt - t.withinDays * DAY_MS;
  const meter = meterAt(m.readings, asOfMs);
  const byDate = asOfMs >= dateDueAt;
  const byHours =
    w.hoursLimit !== undefined && meter !== undefined && lte(w.hoursLimit - meter, t.withinHours);
  const coveredUntil = activeCoverEndAt(m, asOfMs);
  if (coveredUntil !== null) {
    // Quiet while covered; once the cover ends (no event needed) it fires if due by then (the meter only
    // moves with new readings), else when the date comes due; never once the warranty itself has ended.
    const dueAt = byHours ? coveredUntil : Math.max(coveredUntil, dateDueAt);
    return quiet(dueAt < warrantyEndAt ? nextAfter(asOfMs, dueAt) : null);
  }
  if (!byDate && !byHours) return quiet(nextAfter(asOfMs, dateDueAt));

  const last = latestReading(m.readings);
  const endsAt = Math.min(w.endsAt, projectedHourLimitAt(m, rules) ?? Infinity);
  return fired(
    makeDecision(
      m,
      {
        reasonCode: 'WARRANTY_ENDING_UNCOVERED',
        serialNumber: m.serialNumber,
        episode: `ends:${isoDate(w.endsAt)}`,
        message: `warranty of ${m.serialNumber} ends ${isoDate(endsAt)}; offer extended warranty or maintenance contract`,
        evidence: [w.eventId, byHours ? last?.eventId : undefined],
        urgency: { warrantyEndsAtMs: endsAt },
      },
      asOfMs,
      rules,
    ),
  );
}

/** When the meter will reach the hour limit at the machine's own usage rate; undefined if unknown. */
function projectedHourLimitAt(m: MachineState, rules: EffectiveRules): number | undefined {
  const limit = m.warranty?.hoursLimit;
  const last = latestReading(m.readings);
  const rate = usageRatePerDay(m.readings, rules.thresholds.service.usageRateWindowDays);
  if (limit === undefined || last === undefined || rate === null || !gt(rate, 0)) return undefined;
  const meter = meterAt(m.readings, last.at) ?? last.hours;
  return Math.round(last.at + ((limit - meter) / rate) * DAY_MS);
}
