import type { DataSource } from 'typeorm';
import { escalationStep, type EscalationStep } from '../core/escalation';
import { escalationEvent } from '../core/escalation-alert';
import type { TaskReason, TaskStatus } from '../core/task';
import type { EscalationJobData } from './job-names';

interface TaskRow {
  status: TaskStatus;
  due_at: Date;
  escalated_at: Date | null;
  branch_id: string;
  customer_id: string;
  serial_number: string | null;
  family: string;
  reasons: Pick<TaskReason, 'code'>[];
  priority: string;
  value_at_risk: string;
}

/**
 * Escalates an overdue task to its branch lead if the pure step says so at `nowMs`: in one transaction
 * it sets `escalated_at`, records an `escalations` row and writes an `escalation` outbox row, which the
 * alert fan-out (@rp/alerts) delivers to the dealer's webhook subscriptions that take `task.escalated`.
 * Returns the step so the worker can re-delay an early job.
 */
export async function escalateTask(
  ds: DataSource,
  job: EscalationJobData,
  nowMs: number,
): Promise<EscalationStep> {
  return ds.transaction(async (em) => {
    const rows = await em.query<TaskRow[]>(
      `SELECT status, due_at, escalated_at, branch_id, customer_id, serial_number, family, reasons, priority,
              value_at_risk
         FROM tasks WHERE dealer_id = $1 AND task_id = $2 FOR UPDATE`,
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
    const event = escalationEvent(
      {
        dealerId: job.dealerId,
        taskId: job.taskId,
        customerId: r.customer_id,
        serialNumber: r.serial_number,
        branchId: r.branch_id,
        family: r.family,
        reasons: r.reasons,
        priority: Number(r.priority),
        valueAtRisk: Number(r.value_at_risk),
        dueAtMs: job.dueAtMs,
      },
      nowMs,
    );
    // No relay sends escalation rows to BullMQ or Kafka (the alert fan-out has its own mark,
    // alerts_scanned_at): dispatched and published at once, so they never sit in the relay's pending index
    // (dispatched_at IS NULL) nor in the publisher's (published_at IS NULL), which every poll walks.
    await em.query(
      `INSERT INTO outbox (dealer_id, kind, dedup_key, payload, dispatched_at, published_at)
       VALUES ($1, 'escalation', $2, $3::jsonb, now(), now())
       ON CONFLICT DO NOTHING`,
      [job.dealerId, event.id, JSON.stringify(event)],
    );
    return step;
  });
}
