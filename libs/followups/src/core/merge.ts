import type { ActiveTask, TaskReason } from './task';

export interface MergeInput {
  reason: TaskReason;
  priority: number;
  valueAtRisk: number;
  dueAtMs: number;
  /** The signal's warranty end still to double the priority (pendingWarrantyEndMs), if any. */
  warrantyEndsAtMs?: number;
}

export interface Merged {
  reasons: TaskReason[];
  priority: number;
  valueAtRisk: number;
  dueAtMs: number;
  /** The pending warranty end of the priority kept (the earlier of both when equal); undefined if none. */
  warrantyEndsAtMs?: number;
  /** False when the task is unchanged (the reason was already on it and nothing rose or moved earlier). */
  changed: boolean;
}

/**
 * Folds a new signal into an active task: a reason code already on the task is kept as first detected
 * (no duplicate codes), priority and value at risk rise to the maximum, the earliest due date wins, and the
 * pending warranty end is the one of the priority kept.
 */
export function mergeIntoTask(task: ActiveTask, next: MergeInput): Merged {
  const known = task.reasons.some((r) => r.code === next.reason.code);
  const reasons = known
    ? task.reasons
    : [...task.reasons, next.reason].sort(
        (a, b) => a.detectedAt.localeCompare(b.detectedAt) || a.code.localeCompare(b.code),
      );
  const priority = Math.max(task.priority, next.priority);
  const valueAtRisk = Math.max(task.valueAtRisk, next.valueAtRisk);
  const dueAtMs = Math.min(task.dueAtMs, next.dueAtMs);
  // The pending end belongs to the priority that is kept: a ×2 priority already includes its urgency, so a
  // lower reason's end must not double it again (on equal priorities the earlier end wins).
  const candidates =
    next.priority > task.priority
      ? [next.warrantyEndsAtMs]
      : next.priority < task.priority
        ? [task.warrantyEndsAtMs]
        : [task.warrantyEndsAtMs, next.warrantyEndsAtMs];
  const ends = candidates.filter((t): t is number => t !== undefined);
  const warrantyEndsAtMs = ends.length === 0 ? undefined : Math.min(...ends);
  const changed =
    !known ||
    priority !== task.priority ||
    valueAtRisk !== task.valueAtRisk ||
    dueAtMs !== task.dueAtMs ||
    warrantyEndsAtMs !== task.warrantyEndsAtMs;
  return { reasons, priority, valueAtRisk, dueAtMs, warrantyEndsAtMs, changed };
}
