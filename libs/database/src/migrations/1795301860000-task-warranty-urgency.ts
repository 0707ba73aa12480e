import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `tasks.warranty_ends_at`: the earliest warranty end of the task's reasons that was more than 30 days ahead
 * when detected (its decision was valued at urgency 1). Decisions stay in event time; the task queue doubles
 * the priority while this end is within 30 days (PRODUCT "urgency doubles when a warranty ends within 30
 * days"). Null for tasks without one, and for tasks created before this column.
 */
export class TaskWarrantyUrgency1795301860000 implements MigrationInterface {
  name = 'TaskWarrantyUrgency1795301860000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks ADD COLUMN warranty_ends_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks DROP COLUMN warranty_ends_at');
  }
}
