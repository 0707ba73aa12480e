import type { CustomerState } from '../model/customer-state';
import type { DetectorResult } from '../model/decision';
import type { CustomerContext } from '../model/detector';
import type { EventStamp, MachineState } from '../model/machine-state';
import type { EffectiveRules } from '../rules/resolve-rules';
import { customerAsOf, machineAsOf, ownedBy } from '../support/as-of';
import { lastOf } from '../support/lists';
import { fired, makeDecision, quiet } from '../support/make-decision';
import { latestReading, meterAt } from '../support/meter';
import { gte } from '../support/numbers';
import { DAY_MS, dayIndex, nextAfter, wholeDays } from '../support/time';
import { sumFrom } from '../support/window-sum';

const dayStart = (ms: number): number => dayIndex(ms) * DAY_MS;

/**
 * Since when the customer has bought nothing: the last purchase (in the window loaded, else the one before it),
 * else — no purchase on record at all — the earliest `ownedSince` of their machines (null when one of them is
 * owned since an unknown time: silent as far as is known).
 */
interface Silence {
  readonly since: number | null;
  readonly purchase: EventStamp | undefined;
}

function silenceOf(c: CustomerState, machines: readonly MachineState[], asOfMs: number): Silence {
  const purchase = lastOf(c.purchases) ?? c.purchaseBeforeHistory;
  if (purchase !== undefined) return { since: purchase.at, purchase };
  let since: number | null = null;
  for (const m of machines) {
    if (!ownedBy(m, asOfMs)) continue;
    if (m.ownedSince === undefined) return { since: null, purchase };
    if (since === null || m.ownedSince < since) since = m.ownedSince;
  }
  return { since, purchase };
}

/**
 * Hours the fleet ran so far on asOf's UTC day, as its day total will count them once the day is complete
 * (the ingest layer's: per machine, the meter's rise over its value at the end of the previous day with a
 * reading), if no reading comes later that day. Sold machines are left out.
 */
function hoursToday(machines: readonly MachineState[], today: number, asOfMs: number): number {
  let sum = 0;
  for (const state of machines) {
    const m = machineAsOf(state, asOfMs);
    if (m.sold !== undefined) continue;
    const last = latestReading(m.readings);
    if (last === undefined || last.at < today) continue;
    const before = meterAt(m.readings, today - 1);
    const now = meterAt(m.readings, asOfMs);
    if (before !== undefined && now !== undefined && now > before) sum += now - before;
  }
  return sum;
}

/** Fleet hours of the complete days (the as-of view's) from `fromMs` on. */
const hoursOf = (d: { hours: number }): number => d.hours;
const fleetHoursFrom = (c: CustomerState, fromMs: number): number => sumFrom(c.fleetHours, fromMs, hoursOf);

/**
 * ACTIVE_BUT_SILENT (customer-level): the fleet ran >= minFleetHours in the last fleetWindowDays and the
 * customer has bought no parts or service for >= silentDays: since the last purchase, or, with no purchase on
 * record at all, since their first machine became theirs (no known start: silent).
 *
 * Fleet hours come per UTC day (stamped at the day's start) and the as-of view keeps only days complete by
 * asOf, so "the last fleetWindowDays" are the fleetWindowDays whole days before asOf's own day. Today's hours
 * enter the window at the next midnight without any new event: when they can bring it to the threshold, the
 * rule asks to be checked then (or when the silence is due, if later).
 */
export function detectActiveButSilent(
  ctx: CustomerContext,
  asOfMs: number,
  rules: EffectiveRules,
): DetectorResult {
  const c = customerAsOf(ctx.customer, asOfMs);
  const t = rules.thresholds.activeButSilent;
  const silence = silenceOf(c, ctx.machines, asOfMs);
  const dueAt = silence.since === null ? -Infinity : silence.since + t.silentDays * DAY_MS;
  const today = dayStart(asOfMs);
  const windowStart = today - t.fleetWindowDays * DAY_MS;
  const fleetHours = fleetHoursFrom(c, windowStart);
  if (!gte(fleetHours, t.minFleetHours)) {
    // Without a new event, the window gains today's hours at the next midnight and only loses days after it:
    // the first instant it can fire is then, or when the silence is due if later — if the window holds enough.
    const checkAt = Math.max(today + DAY_MS, dueAt);
    const from = dayStart(checkAt) - t.fleetWindowDays * DAY_MS;
    const then = fleetHoursFrom(c, from) + (today >= from ? hoursToday(ctx.machines, today, asOfMs) : 0);
    return quiet(gte(then, t.minFleetHours) ? nextAfter(asOfMs, checkAt) : null);
  }
  if (asOfMs < dueAt) return quiet(nextAfter(asOfMs, dueAt));

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
        episode: `after:${silence.purchase?.eventId ?? 'none'}`,
        message: `fleet working, ${silentFor(silence, asOfMs)}: likely buying elsewhere`,
        evidence: [silence.purchase?.eventId, ...workingMachines.map((x) => x.last?.eventId)],
      },
      asOfMs,
      rules,
    ),
  );
}

function silentFor(silence: Silence, asOfMs: number): string {
  if (silence.since === null) return 'no purchases on record';
  const days = wholeDays(silence.since, asOfMs);
  return silence.purchase === undefined
    ? `no purchases on record in ${days} days of ownership`
    : `no purchases for ${days} days`;
}
