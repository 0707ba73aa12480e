import type { DataSource } from 'typeorm';
import type { ScheduleEscalation } from '../jobs/apply-decision';

/**
 * Adds again the escalation jobs of open tasks not yet escalated, soonest due first: Redis may have
 * lost delayed jobs. Deterministic job ids make this a no-op for jobs Redis still holds.
 */
export async function rearmEscalations(
  ds: DataSource,
  schedule: ScheduleEscalation,
  limit = 1000,
): Promise<number> {
  const rows = await ds.query<{ dealer_id: string; task_id: string; due_at: Date }[]>(
    `SELECT dealer_id, task_id, due_at FROM tasks
      WHERE status IN ('open', 'claimed') AND escalated_at IS NULL ORDER BY due_at LIMIT $1`,
    [limit],
  );
  for (const r of rows) {
    await schedule({ dealerId: r.dealer_id, taskId: r.task_id, dueAtMs: new Date(r.due_at).getTime() });
  }
  return rows.length;
}
