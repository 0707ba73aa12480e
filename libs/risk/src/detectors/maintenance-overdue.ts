import type { DetectorResult } from '../model/decision';
import type { MachineState } from '../model/machine-state';
import { serviceIntervalHours, type EffectiveRules } from '../rules/resolve-rules';
import { machineAsOf } from '../support/as-of';
import { fired, makeDecision, quiet } from '../support/make-decision';
import { hoursRun, latestReading, meterAt } from '../support/meter';
import { fmtHours, gt, gte } from '../support/numbers';
import { DAY_MS } from '../support/time';
import { hoursAtService, lastLabourVisit } from '../support/work-orders';

/**
 * MAINTENANCE_OVERDUE: hours since the last dealer service (a labour order of a maintenance kind; the
 * delivery at 0 h when there is none) >= factor x the model's service interval, and the meter moved in the
 * last `runningWithinDays`. Telematics-driven: no timer.
 */
export function detectMaintenanceOverdue(
  state: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const m = machineAsOf(state, asOfMs);
  const last = latestReading(m.readings);
  if (last === undefined) return quiet();
  const t = rules.thresholds;
  const meter = meterAt(m.readings, asOfMs) ?? last.hours;
  const running = gt(
    hoursRun(m.readings, asOfMs - t.maintenanceOverdue.runningWithinDays * DAY_MS, asOfMs),
    0,
  );
  const service = lastLabourVisit(m.workOrders, t.service.maintenanceKinds);
  const baseline = service === undefined ? 0 : hoursAtService(service, m.readings, meter);
  const sinceService = meter - baseline;
  const threshold = t.maintenanceOverdue.factor * serviceIntervalHours(rules, m.model);
  if (!running || !gte(sinceService, threshold)) return quiet();

  const since =
    service === undefined
      ? `${fmtHours(sinceService)} h since delivery, no dealer service on record`
      : `${fmtHours(sinceService)} h since the last dealer service`;
  return fired(
    makeDecision(
      m,
      {
        reasonCode: 'MAINTENANCE_OVERDUE',
        serialNumber: m.serialNumber,
        episode: service === undefined ? 'after:delivery' : `after:${service.id}`,
        message: `${m.serialNumber} at ${fmtHours(meter)} h, ${since}`,
        evidence: [last.eventId, service?.eventId],
      },
      asOfMs,
      rules,
    ),
  );
}
