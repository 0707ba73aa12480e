import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-ups: tasks (the source of truth; BullMQ only carries the work), the decisions already applied
 * (idempotent job processing), escalations of overdue tasks, and the outbox's "applied" mark that lets
 * the relay re-send decisions whose job Redis lost.
 */
export class Followups1795300300000 implements MigrationInterface {
  name = 'Followups1795300300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tasks (
        dealer_id text NOT NULL, task_id text NOT NULL, customer_id text NOT NULL, serial_number text,
        branch_id text NOT NULL, family text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'claimed', 'done', 'holdout')),
        reasons jsonb NOT NULL, priority numeric NOT NULL, value_at_risk numeric NOT NULL,
        due_at timestamptz NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(), assignee text, outcome text, closed_at timestamptz,
        escalated_at timestamptz,
        PRIMARY KEY (dealer_id, task_id))`);
    // One active task per (customer, machine, family); a holdout record is active too, so it absorbs
    // later signals instead of multiplying.
    await q.query(`
      CREATE UNIQUE INDEX tasks_one_active_idx ON tasks (dealer_id, customer_id, coalesce(serial_number, ''), family)
       WHERE status IN ('open', 'claimed', 'holdout')`);
    await q.query(`CREATE INDEX tasks_queue_idx ON tasks (dealer_id, branch_id, status, priority DESC)`);
    await q.query(`
      CREATE INDEX tasks_outcomes_idx ON tasks (dealer_id, customer_id, closed_at)
       WHERE status = 'done' AND outcome IS NOT NULL`);
    await q.query(`
      CREATE TABLE task_decisions (
        dealer_id text NOT NULL, decision_id text NOT NULL, task_id text,
        result text NOT NULL CHECK (result IN ('created', 'merged', 'suppressed', 'holdout', 'rejected')),
        detail text, applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dealer_id, decision_id))`);
    await q.query(`
      CREATE TABLE escalations (
        dealer_id text NOT NULL, task_id text NOT NULL, due_at timestamptz NOT NULL, branch_id text NOT NULL,
        escalated_at timestamptz NOT NULL,
        PRIMARY KEY (dealer_id, task_id, due_at))`);
    await q.query(`ALTER TABLE outbox ADD COLUMN applied_at timestamptz`);
    await q.query(`
      CREATE INDEX outbox_unapplied_idx ON outbox (dispatched_at)
       WHERE kind = 'decision' AND applied_at IS NULL AND dispatched_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_unapplied_idx');
    await q.query('ALTER TABLE outbox DROP COLUMN applied_at');
    for (const t of ['escalations', 'task_decisions', 'tasks']) await q.query(`DROP TABLE ${t}`);
  }
}
