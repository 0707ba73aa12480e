// @rp/followups — follow-up tasks: outbox relay → BullMQ → tasks in Postgres (pure planning in core/).
export type { TaskStatus, TaskReason, FollowupDecision, ActiveTask, LastOutcome } from './core/task';
export { DEFAULT_FOLLOWUP_RULES, type FollowupRules } from './core/settings';
export { dueAtMs } from './core/due-date';
export { inHoldout, holdoutBucket, HOLDOUT_BUCKETS, drawHoldout, heldOutNow } from './core/holdout';
export { recordHoldouts, holdoutKey, type CustomerKey } from './jobs/holdout-record';
export { inCooldown } from './core/cooldown';
export { mergeIntoTask } from './core/merge';
export { planDecision, type Plan, type NewTask } from './core/plan-decision';
export { escalationStep, type EscalationStep } from './core/escalation';
export {
  escalationEvent,
  escalationEventId,
  type EscalatedTask,
  type EscalationEvent,
} from './core/escalation-alert';
export { taskIdFor } from './core/task-id';
export {
  FollowupJob,
  decisionJobId,
  escalationJobId,
  type DecisionJobData,
  type EscalationJobData,
} from './jobs/job-names';
export { applyDecision, type ApplyResult, type Applied } from './jobs/apply-decision';
export { relayDecisions, reclaimUnapplied } from './relay/outbox-relay';
export { rearmEscalations } from './relay/rearm-escalations';
export { FollowupsRuntime, type FollowupsRuntimeOptions } from './runtime/followups-runtime';
export { DEFAULT_FOLLOWUP_SETTINGS, followupSettings, type FollowupSettings } from './settings';
