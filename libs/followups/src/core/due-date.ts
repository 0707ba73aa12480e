import { DAY_MS, type FollowupDecision } from './task';
import type { FollowupRules } from './settings';

/**
 * Due date from urgency, in event time (never the wall clock): the earliest of detection + the family's
 * days, `warrantyLeadDays` before a warranty end still ahead (but at least a day after detection and
 * never after the end itself), and a respond-by instant still ahead.
 */
export function dueAtMs(d: FollowupDecision, rules: FollowupRules): number {
  const at = d.detectedAtMs;
  const candidates = [at + rules.dueDays[d.family] * DAY_MS];
  const ends = d.urgency.warrantyEndsAtMs;
  if (ends !== undefined && ends > at) {
    candidates.push(Math.min(Math.max(ends - rules.warrantyLeadDays * DAY_MS, at + DAY_MS), ends));
  }
  const respondBy = d.urgency.respondByMs;
  if (respondBy !== undefined && respondBy > at) candidates.push(respondBy);
  return Math.min(...candidates);
}

/**
 * The deadline a manager is held to (stored as the task's due date, and escalated on): the event-time due
 * date, moved later by however long the decision took to reach the follow-up layer. A decision applied
 * when it is detected keeps its event-time due date; one from a backlog, a catch-up or late data gets the
 * same window from its arrival (`nowMs`, the injected clock of the task side), so it is never overdue
 * before anyone could see it.
 */
export function heldDueAtMs(d: FollowupDecision, rules: FollowupRules, nowMs: number): number {
  return dueAtMs(d, rules) + Math.max(0, nowMs - d.detectedAtMs);
}

/**
 * The deadline of a holdout record released into an open task at `nowMs` (the injected clock): its own,
 * or its family's full window from the release when that is later, so it is never overdue on release.
 */
export function releasedDueAtMs(dueAt: number, family: string, rules: FollowupRules, nowMs: number): number {
  const days = (rules.dueDays as Record<string, number | undefined>)[family];
  if (days === undefined) throw new Error(`releasedDueAtMs: unknown reason family "${family}"`);
  return Math.max(dueAt, nowMs + days * DAY_MS);
}
