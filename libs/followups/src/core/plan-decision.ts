import { inCooldown } from './cooldown';
import { heldDueAtMs } from './due-date';
import { inHoldout } from './holdout';
import { mergeIntoTask, type Merged } from './merge';
import type { FollowupRules } from './settings';
import { taskIdFor } from './task-id';
import { reasonOf, type ActiveTask, type FollowupDecision, type LastOutcome, type TaskReason } from './task';

export interface NewTask {
  taskId: string;
  status: 'open' | 'holdout';
  /** '' when the customer's branch is not known yet: the task is unrouted until it is. */
  branchId: string;
  reasons: TaskReason[];
  priority: number;
  valueAtRisk: number;
  dueAtMs: number;
}

/** What applying one decision does; the I/O edge carries it out in one transaction. */
export type Plan =
  | ({ kind: 'merge'; taskId: string; status: ActiveTask['status']; branchId: string } & Merged)
  | { kind: 'suppress'; detail: string }
  | { kind: 'create'; task: NewTask };

/**
 * One decision against the current state of its key (customer, machine, family) at `nowMs` (the injected
 * clock of the task side): a reason within the cool-down of an outcome for the same reason is suppressed
 * (unless it is already on the active task); otherwise it merges into the active task (routing it if it
 * was unrouted), or opens a task (or a holdout record for a customer drawn into the holdout). The due date
 * is the event-time one, never earlier than the decision's arrival plus its window (heldDueAtMs).
 */
export function planDecision(
  d: FollowupDecision,
  state: { active: ActiveTask | null; lastOutcome: LastOutcome | null },
  rules: FollowupRules,
  nowMs: number,
): Plan {
  const due = heldDueAtMs(d, rules, nowMs);
  const active = state.active;
  const onTask = active !== null && active.reasons.some((r) => r.code === d.reasonCode);
  if (!onTask && inCooldown(state.lastOutcome, d.detectedAtMs, rules.cooldownDays)) {
    const last = state.lastOutcome!;
    return {
      kind: 'suppress',
      detail: `cool-down: ${d.reasonCode} closed as ${last.outcome} at ${new Date(last.closedAtMs).toISOString()}`,
    };
  }
  if (active) {
    const merged = mergeIntoTask(active, {
      reason: reasonOf(d),
      priority: d.priority,
      valueAtRisk: d.valueAtRisk,
      dueAtMs: due,
    });
    const branchId = active.branchId === '' ? d.branchId : active.branchId;
    return {
      kind: 'merge',
      taskId: active.taskId,
      status: active.status,
      ...merged,
      branchId,
      changed: merged.changed || branchId !== active.branchId,
    };
  }
  return {
    kind: 'create',
    task: {
      taskId: taskIdFor(d.dealerId, d.id),
      status: inHoldout(d.dealerId, d.customerId, rules.holdoutShare) ? 'holdout' : 'open',
      branchId: d.branchId,
      reasons: [reasonOf(d)],
      priority: d.priority,
      valueAtRisk: d.valueAtRisk,
      dueAtMs: due,
    },
  };
}
