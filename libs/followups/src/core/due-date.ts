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
