import type { ReasonCode, ReasonFamily } from '@rp/risk';

/** Lifecycle of a task; `holdout` is recorded but never shown as open. */
export type TaskStatus = 'open' | 'claimed' | 'done' | 'holdout';

/** A task is active (at most one per customer, machine and family) until it is done. */
export type ActiveStatus = Exclude<TaskStatus, 'done'>;

/** One reason on a task, as the API shows it. */
export interface TaskReason {
  code: ReasonCode;
  message: string;
  evidenceEventIds: string[];
  ruleVersion: string;
  /** ISO instant: the event time as of which the rule fired. */
  detectedAt: string;
  decisionId: string;
}

/** The decision as the follow-up layer needs it (a subset of the published ValuedDecision). */
export interface FollowupDecision {
  id: string;
  dealerId: string;
  customerId: string;
  serialNumber: string | null;
  /** The customer's branch; '' while unknown (no master data and no machine with a branch yet). */
  branchId: string;
  reasonCode: ReasonCode;
  family: ReasonFamily;
  message: string;
  evidenceEventIds: string[];
  ruleVersion: string;
  detectedAtMs: number;
  urgency: { warrantyEndsAtMs?: number; dueSinceMs?: number; respondByMs?: number };
  valueAtRisk: number;
  priority: number;
  /** The urgency valuing counted in `priority` (absent on decisions published before it was recorded). */
  urgencyFactor?: 1 | 2;
  /** The nearest warranty or fleet coverage end valuing weighed. */
  urgencyEndsAtMs?: number;
}

/** The active task for a decision's key, as loaded (locked) from Postgres. */
export interface ActiveTask {
  taskId: string;
  status: ActiveStatus;
  /** '' while the task is unrouted (only dealer admins see it). */
  branchId: string;
  reasons: TaskReason[];
  priority: number;
  valueAtRisk: number;
  dueAtMs: number;
  /** The earliest warranty end still to double the priority as it nears (pendingWarrantyEndMs); none if unset. */
  warrantyEndsAtMs?: number;
}

/** The latest outcome recorded for the same customer, machine and reason code. */
export interface LastOutcome {
  outcome: string;
  closedAtMs: number;
}

export const DAY_MS = 86_400_000;

export const reasonOf = (d: FollowupDecision): TaskReason => ({
  code: d.reasonCode,
  message: d.message,
  evidenceEventIds: [...d.evidenceEventIds],
  ruleVersion: d.ruleVersion,
  detectedAt: new Date(d.detectedAtMs).toISOString(),
  decisionId: d.id,
});
