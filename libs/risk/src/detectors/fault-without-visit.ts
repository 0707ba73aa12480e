import type { Decision, DetectorResult } from '../model/decision';
import type { ActiveFault, MachineState } from '../model/machine-state';
import type { EffectiveRules } from '../rules/resolve-rules';
import { machineAsOf } from '../support/as-of';
import { lastOf } from '../support/lists';
import { makeDecision } from '../support/make-decision';
import { DAY_MS, isoInstant, nextAfter, wholeDays } from '../support/time';

type Limits = EffectiveRules['thresholds']['faultWithoutVisit'];

/** When the code's repeatCount-th occurrence within repeatWindowDays came, if it did. */
function repeatedAt(f: ActiveFault, t: Limits): number | undefined {
  const occ = f.occurrences;
  for (let i = t.repeatCount - 1; i < occ.length; i++) {
    if (occ[i].at - occ[i - t.repeatCount + 1].at <= t.repeatWindowDays * DAY_MS) return occ[i].at;
  }
  return undefined;
}

/**
 * Since when the fault has been of a listed severity without a break up to the as-of instant of its view (the
 * view keeps the severity changes up to then), if it is of one now: the first listing's `firstSeenAt` when it
 * was listed so from the start, else the change that last raised it into the list.
 */
function severeSince(f: ActiveFault, t: Limits): number | undefined {
  if (!t.severities.includes(f.severity)) return undefined;
  const changes = f.severities;
  if (changes === undefined || changes.length === 0) return f.firstSeenAt;
  let since: number | undefined;
  changes.forEach((c, i) => {
    if (!t.severities.includes(c.severity)) since = undefined;
    else if (since === undefined) since = i === 0 ? Math.min(f.firstSeenAt, c.at) : c.at;
  });
  return since ?? f.firstSeenAt;
}

const earliest = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/**
 * FAULT_WITHOUT_VISIT: an active fault of a listed severity, or the same code repeatCount times within
 * repeatWindowDays, and no dealer work order (any kind) opened since the fault first appeared, by
 * visitWithinDays after it qualified: since it has been of a listed severity (without a break up to asOf), or
 * its repeatCount-th occurrence, whichever came first. One decision per fault.
 *
 * A fault that qualifies by its repeats only is intermittent: it may well be absent at the instant it comes
 * due (the ingest layer keeps such an episode open, see foldFaults). It counts whether or not it is listed at
 * that instant, until its last occurrence is repeatWindowDays + visitWithinDays old: by then it had its
 * decision (due at most visitWithinDays after that occurrence) and a code quiet that long is no longer a reason.
 * Faults are taken as of asOf (machineAsOf): those open then, with the severity and occurrences they had then
 * (a code listed once and gone, or cleared, is not among them until it is listed again).
 */
export function detectFaultWithoutVisit(
  state: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const m = machineAsOf(state, asOfMs);
  const t = rules.thresholds.faultWithoutVisit;
  const decisions: Decision[] = [];
  const timers: number[] = [];
  for (const f of m.faults) {
    const severeFrom = severeSince(f, t);
    const severe = severeFrom !== undefined;
    const qualified = earliest(severeFrom, repeatedAt(f, t));
    if (qualified === undefined || m.workOrders.some((wo) => wo.openedAt >= f.firstSeenAt)) continue;
    const last = lastOf(f.occurrences);
    if (
      !severe &&
      last !== undefined &&
      asOfMs >= last.at + (t.repeatWindowDays + t.visitWithinDays) * DAY_MS
    )
      continue; // quiet for too long (decided from the occurrences up to asOf only)
    const dueAt = qualified + t.visitWithinDays * DAY_MS;
    if (asOfMs < dueAt) {
      timers.push(dueAt);
      continue;
    }
    decisions.push(
      makeDecision(
        m,
        {
          reasonCode: 'FAULT_WITHOUT_VISIT',
          serialNumber: m.serialNumber,
          episode: `fault:${f.code}:${isoInstant(f.firstSeenAt)}`,
          message: `fault ${f.code} active ${wholeDays(f.firstSeenAt, asOfMs)} days: offer diagnosis`,
          evidence: [f.eventId, last?.eventId, lastOf(m.workOrders)?.eventId],
          urgency: { dueSinceMs: dueAt },
        },
        asOfMs,
        rules,
      ),
    );
  }
  return { decisions, nextCheckAtMs: nextAfter(asOfMs, ...timers) };
}
