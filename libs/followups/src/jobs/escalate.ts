import type { DataSource } from 'typeorm';
import { escalationStep, type EscalationStep } from '../core/escalation';
import type { TaskStatus } from '../core/task';
import type { EscalationJobData } from './job-names';

/**
 * Escalates an overdue task to its branch lead (for now: `escalated_at` plus an `escalations` row) if
 * the pure step says so at `nowMs`; returns the step so the worker can re-delay an early job.
 */
export async function escalateTask(
  ds: DataSource,
  job: EscalationJobData,
  nowMs: number,
): Promise<EscalationStep> {
  return ds.transaction(async (em) => {
    const rows = await em.query<
      { status: TaskStatus; due_at: Date; escalated_at: Date | null; branch_id: string }[]
    >(
      `SELECT status, due_at, escalated_at, branch_id FROM tasks WHERE dealer_id = $1 AND task_id = $2 FOR UPDATE`,
      [job.dealerId, job.taskId],
    );
    const r = rows[0];
    const step = escalationStep(
      r
        ? {
            status: r.status,
            dueAtMs: new Date(r.due_at).getTime(),
            escalatedAtMs: r.escalated_at ? new Date(r.escalated_at).getTime() : null,
          }
        : null,
      job.dueAtMs,
      nowMs,
    );
    if (step.kind !== 'escalate') return step;
    const at = new Date(nowMs).toISOString();
    await em.query(
      'UPDATE tasks SET escalated_at = $3, updated_at = now() WHERE dealer_id = $1 AND task_id = $2',
      [job.dealerId, job.taskId, at],
    );
    await em.query(
      `INSERT INTO escalations (dealer_id, task_id, due_at, branch_id, escalated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [job.dealerId, job.taskId, new Date(job.dueAtMs).toISOString(), r.branch_id, at],
    );
    return step;
  });
}
