import type { DetectorResult } from '../model/decision';
import type { MachineState, MeterReading, WorkOrder } from '../model/machine-state';
import { serviceIntervalHours, type EffectiveRules } from '../rules/resolve-rules';
import { machineAsOf } from '../support/as-of';
import { fired, makeDecision, quiet } from '../support/make-decision';
import { hoursRun, latestReading, meterAt } from '../support/meter';
import { fmtHours, gt, gte } from '../support/numbers';
import { DAY_MS, isoDate } from '../support/time';
import { hoursAtService, lastLabourVisit } from '../support/work-orders';

/** A meter value the hours since service count from, with the reading that shows it. */
interface Baseline {
  readonly hours: number;
  readonly reading: MeterReading;
  /** Read at the start of ownership (else: the first reading after it). */
  readonly atOwnership: boolean;
}

/**
 * The meter when a used machine became the customer's (`ownedSince`, a transfer to them): the highest reading
 * up to then, else its first reading within `withinDays` after (a reporting machine reports that often, so
 * nothing much ran before it); else unknown (no early telematics). A delivered machine was new: undefined, its
 * hours count from 0 (the delivery's event may be recorded long after the real delivery).
 */
function ownershipBaseline(m: MachineState, withinDays: number): Baseline | undefined {
  const since = m.ownedSince;
  if (since === undefined || m.acquiredByTransfer !== true) return undefined;
  const hours = meterAt(m.readings, since); // defined when a reading came by then
  const before = m.readings.filter((r) => r.at <= since).at(-1);
  if (hours !== undefined && before !== undefined) return { hours, reading: before, atOwnership: true };
  const first = m.readings.find((r) => r.at > since);
  if (first === undefined || first.at > since + withinDays * DAY_MS) return undefined;
  return { hours: meterAt(m.readings, first.at) ?? first.hours, reading: first, atOwnership: false };
}

function sinceText(
  m: MachineState,
  sinceService: number,
  service: WorkOrder | undefined,
  baseline: Baseline | undefined,
): string {
  const h = fmtHours(sinceService);
  if (service !== undefined) return `${h} h since the last dealer service`;
  if (baseline === undefined) return `${h} h on the meter, no dealer service on record`;
  const since = baseline.atOwnership
    ? `it became the customer's (${isoDate(m.ownedSince ?? baseline.reading.at)})`
    : `its first reading as the customer's (${isoDate(baseline.reading.at)})`;
  return `${h} h since ${since}, no dealer service on record`;
}

/**
 * MAINTENANCE_OVERDUE: hours since the last dealer service (a labour order of a maintenance kind; when there is
 * none, since a used machine became the customer's — the meter then, see ownershipBaseline — else since 0 h)
 * >= factor x the model's service interval, and the meter moved in the last `runningWithinDays`.
 * Telematics-driven: no timer.
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
  const owned = service === undefined ? ownershipBaseline(m, t.notReporting.silentDays) : undefined;
  const baseline = service === undefined ? (owned?.hours ?? 0) : hoursAtService(service, m.readings, meter);
  const sinceService = meter - baseline;
  const threshold = t.maintenanceOverdue.factor * serviceIntervalHours(rules, m.model);
  if (!running || !gte(sinceService, threshold)) return quiet();

  const since = sinceText(m, sinceService, service, owned);
  return fired(
    makeDecision(
      m,
      {
        reasonCode: 'MAINTENANCE_OVERDUE',
        serialNumber: m.serialNumber,
        episode: service === undefined ? 'after:delivery' : `after:${service.id}`,
        message: `${m.serialNumber} at ${fmtHours(meter)} h, ${since}`,
        evidence: [last.eventId, service?.eventId, owned?.reading.eventId],
      },
      asOfMs,
      rules,
    ),
  );
}
