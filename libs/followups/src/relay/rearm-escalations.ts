import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { withTimeout } from '@rp/observability';
import { ensureJobs } from '@rp/queue';
import { escalationJob } from '../jobs/escalation-job';

const REDIS_TIMEOUT_MS = 10_000;

export interface Rearmed {
  /** Open tasks not yet escalated whose job was made sure of. */
  tasks: number;
  /** Of them, jobs Redis held dead (lost from their state, or without data) and that were replaced. */
  replaced: number;
  /** Of them, jobs that had failed every attempt transiently (e.g. Postgres down) and were retried. */
  retried: number;
}

/**
 * Makes sure every open task not yet escalated has its escalation job, soonest due first: Redis may
 * have lost delayed jobs, or kept a dead hash of one that would swallow a plain re-add, and a job that
 * failed all its attempts on transient errors is retried (the task is still open and not escalated, so
 * its escalation is still owed). A job Redis holds alive, completed or failed for good (UnrecoverableError)
 * is left alone (deterministic ids), so this is cheap when nothing was lost.
 */
export async function rearmEscalations(
  ds: DataSource,
  queue: Queue,
  nowMs: number,
  limit = 1000,
): Promise<Rearmed> {
  const rows = await ds.query<{ dealer_id: string; task_id: string; due_at: Date }[]>(
    `SELECT dealer_id, task_id, due_at FROM tasks
      WHERE status IN ('open', 'claimed') AND escalated_at IS NULL ORDER BY due_at LIMIT $1`,
    [limit],
  );
  const jobs = rows.map((r) =>
    escalationJob({ dealerId: r.dealer_id, taskId: r.task_id, dueAtMs: new Date(r.due_at).getTime() }, nowMs),
  );
  const { removed, retried } = await withTimeout(
    ensureJobs(queue, jobs),
    REDIS_TIMEOUT_MS,
    're-arming escalations',
  );
  return { tasks: rows.length, replaced: removed, retried };
}
