import type { TaskStatus } from './task';

export interface EscalationTarget {
  status: TaskStatus;
  dueAtMs: number;
  escalatedAtMs: number | null;
}

export type EscalationStep =
  { kind: 'escalate' } | { kind: 'wait'; untilMs: number } | { kind: 'skip'; why: string };

/**
 * What an escalation job scheduled for `jobDueAtMs` does at `nowMs` (the injected clock): escalate an
 * open or claimed task that is overdue, wait if it fired early, and skip a task that is gone, closed,
 * held out, already escalated, or whose due date moved (the job of the new due date handles it).
 */
export function escalationStep(
  task: EscalationTarget | null,
  jobDueAtMs: number,
  nowMs: number,
): EscalationStep {
  if (task === null) return { kind: 'skip', why: 'no such task' };
  if (task.status !== 'open' && task.status !== 'claimed')
    return { kind: 'skip', why: `task ${task.status}` };
  if (task.escalatedAtMs !== null) return { kind: 'skip', why: 'already escalated' };
  if (task.dueAtMs !== jobDueAtMs) return { kind: 'skip', why: 'due date moved' };
  if (nowMs < task.dueAtMs) return { kind: 'wait', untilMs: task.dueAtMs };
  return { kind: 'escalate' };
}
