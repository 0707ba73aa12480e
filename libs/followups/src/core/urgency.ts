import { urgency } from '@rp/value';
import { DAY_MS, type FollowupDecision } from './task';

/**
 * What valuing recorded of the urgency it applied (ingest valueDecision): the factor the priority already
 * counts, and the nearest end it weighed (the decision's warranty end or the fleet's nearest coverage end).
 * Absent on decisions published before valuing carried them.
 */
export interface ValuedUrgency {
  urgencyFactor?: 1 | 2;
  urgencyEndsAtMs?: number;
}

/**
 * The warranty end whose approach is still to double the task's priority (PRODUCT: urgency doubles when a
 * warranty ends within 30 days, so ×2 at most):
 * - valued at factor 2: none, the priority already counts the ×2;
 * - valued at factor 1: the nearest end valuing weighed (or the decision's own warranty end, whichever is
 *   first), not before detection;
 * - no factor recorded (published before): the decision's warranty end when it was further ahead than the
 *   window at detection (valued at urgency 1 as far as the decision tells).
 * None when the end had already passed at detection, or the decision names none.
 */
export function pendingWarrantyEndMs(d: FollowupDecision & ValuedUrgency): number | undefined {
  const own = d.urgency.warrantyEndsAtMs;
  if (d.urgencyFactor === 2) return undefined;
  if (d.urgencyFactor === 1) {
    const ends = [own, d.urgencyEndsAtMs].filter((t): t is number => t !== undefined && t >= d.detectedAtMs);
    return ends.length === 0 ? undefined : Math.min(...ends);
  }
  if (own === undefined || own < d.detectedAtMs) return undefined;
  return urgency(Math.floor((own - d.detectedAtMs) / DAY_MS)) === 1 ? own : undefined;
}

/**
 * A task's priority as of `nowMs` (the reader's clock; decisions stay in event time): the stored one, doubled
 * while the warranty end recorded on it (pendingWarrantyEndMs) is within the urgency window.
 */
export function effectivePriority(
  priority: number,
  warrantyEndsAtMs: number | undefined,
  nowMs: number,
): number {
  if (warrantyEndsAtMs === undefined || warrantyEndsAtMs < nowMs) return priority;
  return priority * urgency(Math.floor((warrantyEndsAtMs - nowMs) / DAY_MS));
}
