import type { DetectorResult, Decision } from '../model/decision';
import type { CustomerContext } from '../model/detector';
import type { MachineState, WorkOrder } from '../model/machine-state';
import type { EffectiveRules } from '../rules/resolve-rules';
import { customerAsOf, machineAsOf } from '../support/as-of';
import { makeDecision } from '../support/make-decision';
import { gt } from '../support/numbers';
import { DAY_MS, nextAfter, wholeDays } from '../support/time';

type Limits = EffectiveRules['thresholds']['badServiceExperience'];

/** The latest run of >= repeatRepairCount repairs within repeatRepairWindowDays, overlapping runs merged. */
function latestRepairRun(repairs: readonly WorkOrder[], t: Limits): WorkOrder[] | undefined {
  const n = t.repeatRepairCount;
  const triggers: number[] = [];
  for (let i = n - 1; i < repairs.length; i++) {
    if (repairs[i].openedAt - repairs[i - n + 1].openedAt <= t.repeatRepairWindowDays * DAY_MS)
      triggers.push(i);
  }
  const last = triggers.pop();
  if (last === undefined) return undefined;
  let start = last - n + 1;
  for (let k = triggers.length - 1; k >= 0 && triggers[k] >= start; k--) start = triggers[k] - n + 1;
  return repairs.slice(start, last + 1);
}

/**
 * BAD_SERVICE_EXPERIENCE, machine part: >= repeatRepairCount repair orders within repeatRepairWindowDays,
 * or a closed order with downtime > downtimeDays, or a repair order open > downtimeDays. Closed episodes
 * count while younger than `maxAgeDays`.
 */
export function detectBadServiceOnMachine(
  state: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const m = machineAsOf(state, asOfMs);
  const t = rules.thresholds.badServiceExperience;
  const fresh = (at: number) => wholeDays(at, asOfMs) < t.maxAgeDays;
  const decide = (episode: string, what: string, evidence: string[]): Decision =>
    makeDecision(
      m,
      {
        reasonCode: 'BAD_SERVICE_EXPERIENCE',
        serialNumber: m.serialNumber,
        episode,
        message: `${what} on ${m.serialNumber}: manager call`,
        evidence,
      },
      asOfMs,
      rules,
    );
  const decisions: Decision[] = [];
  const repairs = m.workOrders.filter((wo) => t.repairKinds.includes(wo.kind));
  const run = latestRepairRun(repairs, t);
  if (run !== undefined && fresh(run[run.length - 1].openedAt)) {
    decisions.push(decide(`repairs:${run[0].id}`, 'repeat repair', run.map((wo) => wo.eventId).reverse()));
  }
  const timers: number[] = [];
  for (const wo of m.workOrders) {
    const longClosed =
      wo.closedAt !== undefined && gt(wo.downtimeHours ?? 0, t.downtimeDays * 24) && fresh(wo.closedAt);
    const openRepair = wo.closedAt === undefined && t.repairKinds.includes(wo.kind);
    if (longClosed || (openRepair && wholeDays(wo.openedAt, asOfMs) > t.downtimeDays)) {
      decisions.push(decide(`downtime:${wo.id}`, 'long downtime', [wo.eventId]));
    } else if (openRepair) timers.push(wo.openedAt + (t.downtimeDays + 1) * DAY_MS);
  }
  return { decisions, nextCheckAtMs: nextAfter(asOfMs, ...timers) };
}

/**
 * BAD_SERVICE_EXPERIENCE, complaint part (customer-level, so a sold or parked machine does not hide it):
 * a complaint open > complaintOpenDays.
 */
export function detectOpenComplaint(
  ctx: CustomerContext,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const c = customerAsOf(ctx.customer, asOfMs);
  const t = rules.thresholds.badServiceExperience;
  const decisions: Decision[] = [];
  const timers: number[] = [];
  for (const complaint of c.complaints.filter((x) => x.resolvedAt === undefined)) {
    const openDays = wholeDays(complaint.openedAt, asOfMs);
    if (openDays <= t.complaintOpenDays) {
      timers.push(complaint.openedAt + (t.complaintOpenDays + 1) * DAY_MS);
      continue;
    }
    const on = complaint.serialNumber === undefined ? '' : ` on ${complaint.serialNumber}`;
    decisions.push(
      makeDecision(
        c,
        {
          reasonCode: 'BAD_SERVICE_EXPERIENCE',
          serialNumber: null,
          episode: `complaint:${complaint.id}`,
          message: `complaint open ${openDays} days${on}: manager call`,
          evidence: [complaint.eventId],
        },
        asOfMs,
        rules,
      ),
    );
  }
  return { decisions, nextCheckAtMs: nextAfter(asOfMs, ...timers) };
}
