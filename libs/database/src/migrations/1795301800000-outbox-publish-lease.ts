import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Kafka publishers no longer hold outbox rows locked while they wait for Kafka: they lease rows
 * (`publishing_until`) in one short statement, send, and mark them published in another. A lease that
 * ran out (the publisher crashed after sending) makes the rows due again: sent again, at least once.
 * The followups relay gets a partial index of its own pending kinds (outcomes, never dispatched, stay out
 * of it), used by its claim and by its /health probe's oldest-pending query.
 */
export class OutboxPublishLease1795301800000 implements MigrationInterface {
  name = 'OutboxPublishLease1795301800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN publishing_until timestamptz`);
    await q.query(`
      CREATE INDEX outbox_followups_pending_idx ON outbox (id)
       WHERE kind IN ('decision', 'suppression') AND dispatched_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_followups_pending_idx');
    await q.query('ALTER TABLE outbox DROP COLUMN publishing_until');
  }
}
