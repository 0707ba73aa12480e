import { inCooldown } from './cooldown';
import { heldDueAtMs } from './due-date';
import { mergeIntoTask, type Merged } from './merge';
import type { FollowupRules } from './settings';
import { taskIdFor } from './task-id';
import { pendingWarrantyEndMs } from './urgency';
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
  /** The warranty end still to double the priority as it nears (pendingWarrantyEndMs), if any. */
  warrantyEndsAtMs?: number;
}

/** What applying one decision does; the I/O edge carries it out in one transaction. */
export type Plan =
  | ({ kind: 'merge'; taskId: string; status: ActiveTask['status']; branchId: string } & Merged)
  | { kind: 'suppress'; detail: string }
  | { kind: 'create'; task: NewTask };

/**
 * One decision against the current state of its key (customer, machine, family) at `nowMs` (the injected
 * clock of the task side): a reason within the cool-down of an outcome for the same reason is suppressed
 * (unless it is already on the active task); otherwise it merges into the active task (moving it to the
 * decision's branch, see mergedBranch), or opens a task (or a holdout record for a customer held out, as recorded per customer). The due date
 * is the event-time one, never earlier than the decision's arrival plus its window (heldDueAtMs).
 */
export function planDecision(
  d: FollowupDecision,
  state: {
    active: ActiveTask | null;
    lastOutcome: LastOutcome | null;
    /** The customer's recorded holdout under the current share (heldOutNow): a new task is a holdout record. */
    heldOut: boolean;
  },
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
      warrantyEndsAtMs: pendingWarrantyEndMs(d),
    });
    const branchId = mergedBranch(active, d.branchId);
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
      status: state.heldOut ? 'holdout' : 'open',
      branchId: d.branchId,
      reasons: [reasonOf(d)],
      priority: d.priority,
      valueAtRisk: d.valueAtRisk,
      dueAtMs: due,
      warrantyEndsAtMs: pendingWarrantyEndMs(d),
    },
  };
}

/**
 * The branch of an active task a decision merges into: the decision's (the customer's branch as of its
 * decision) for a task nobody has claimed (open, or a holdout record) and for an unrouted one; a claimed task
 * stays with its assignee's branch. A decision that knows no branch never unroutes a task.
 */
export function mergedBranch(
  active: Pick<ActiveTask, 'status' | 'branchId'>,
  decisionBranch: string,
): string {
  if (decisionBranch === '') return active.branchId;
  return active.status !== 'claimed' || active.branchId === '' ? decisionBranch : active.branchId;
}
