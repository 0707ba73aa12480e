import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Suppressions reach the followups role: the risk engine writes an outbox row of kind `suppression` for
 * each new suppression (sold, parked, relocated machine), relayed to the followups queue like a decision,
 * whose job closes the tasks it makes moot. The relay's reclaim of rows sent but never applied gets the
 * partial index decisions have (outbox_unapplied_idx).
 */
export class SuppressionOutbox1795301700000 implements MigrationInterface {
  name = 'SuppressionOutbox1795301700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX outbox_suppressions_unapplied_idx ON outbox (dispatched_at)
       WHERE kind = 'suppression' AND applied_at IS NULL AND dispatched_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_suppressions_unapplied_idx');
    await q.query(`DELETE FROM outbox WHERE kind = 'suppression'`);
  }
}
