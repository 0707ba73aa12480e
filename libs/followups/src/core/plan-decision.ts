import { inCooldown } from './cooldown';
import { dueAtMs } from './due-date';
import { inHoldout } from './holdout';
import { mergeIntoTask, type Merged } from './merge';
import type { FollowupRules } from './settings';
import { taskIdFor } from './task-id';
import { reasonOf, type ActiveTask, type FollowupDecision, type LastOutcome, type TaskReason } from './task';

export interface NewTask {
  taskId: string;
  status: 'open' | 'holdout';
  branchId: string;
  reasons: TaskReason[];
  priority: number;
  valueAtRisk: number;
  dueAtMs: number;
}

/** What applying one decision does; the I/O edge carries it out in one transaction. */
export type Plan =
  | ({ kind: 'merge'; taskId: string; status: ActiveTask['status'] } & Merged)
  | { kind: 'suppress'; detail: string }
  | { kind: 'create'; task: NewTask };

/**
 * One decision against the current state of its key (customer, machine, family): merge into the active
 * task, else suppress within the cool-down of an outcome for the same reason, else open a task (or a
 * holdout record for a customer drawn into the holdout).
 */
export function planDecision(
  d: FollowupDecision,
  state: { active: ActiveTask | null; lastOutcome: LastOutcome | null },
  rules: FollowupRules,
): Plan {
  const due = dueAtMs(d, rules);
  if (state.active) {
    const merged = mergeIntoTask(state.active, {
      reason: reasonOf(d),
      priority: d.priority,
      valueAtRisk: d.valueAtRisk,
      dueAtMs: due,
    });
    return { kind: 'merge', taskId: state.active.taskId, status: state.active.status, ...merged };
  }
  if (inCooldown(state.lastOutcome, d.detectedAtMs, rules.cooldownDays)) {
    const last = state.lastOutcome!;
    return {
      kind: 'suppress',
      detail: `cool-down: ${d.reasonCode} closed as ${last.outcome} at ${new Date(last.closedAtMs).toISOString()}`,
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
