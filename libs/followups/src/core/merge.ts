import type { ActiveTask, TaskReason } from './task';

export interface MergeInput {
  reason: TaskReason;
  priority: number;
  valueAtRisk: number;
  dueAtMs: number;
}

export interface Merged {
  reasons: TaskReason[];
  priority: number;
  valueAtRisk: number;
  dueAtMs: number;
  /** False when the task is unchanged (the reason was already on it and nothing rose or moved earlier). */
  changed: boolean;
}

/**
 * Folds a new signal into an active task: a reason code already on the task is kept as first detected
 * (no duplicate codes), priority and value at risk rise to the maximum, the earliest due date wins.
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
  const changed =
    !known || priority !== task.priority || valueAtRisk !== task.valueAtRisk || dueAtMs !== task.dueAtMs;
  return { reasons, priority, valueAtRisk, dueAtMs, changed };
}
