import { urgency } from '@rp/value';
import { DAY_MS, type FollowupDecision } from './task';

/**
 * The warranty end whose approach is still to double the task's priority (PRODUCT: urgency doubles when a
 * warranty ends within 30 days): the decision's warranty end when it was further ahead than that at
 * detection, so the decision was valued at urgency 1. None when the warranty had already ended, or ended
 * within the window (the decision's priority already counts the ×2), or the decision names no warranty.
 */
export function pendingWarrantyEndMs(d: FollowupDecision): number | undefined {
  const ends = d.urgency.warrantyEndsAtMs;
  if (ends === undefined || ends < d.detectedAtMs) return undefined;
  return urgency(Math.floor((ends - d.detectedAtMs) / DAY_MS)) === 1 ? ends : undefined;
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
