import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The holdout is decided once per customer and kept here (not re-drawn per task or per alert): `held` as
 * drawn on the customer's first decision (never for a customer already contacted), `share` the
 * FOLLOWUP_HOLDOUT_SHARE it was drawn under (null: recorded from holdout tasks older than this table), and
 * `released_at` when a lowered share or an ended experiment released it (its holdout tasks became open).
 * Customers with holdout tasks are recorded as held out unless they also have an open, claimed or done task.
 */
export class HoldoutCustomers1795301850000 implements MigrationInterface {
  name = 'HoldoutCustomers1795301850000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE holdout_customers (
        dealer_id text NOT NULL, customer_id text NOT NULL, held boolean NOT NULL, share numeric,
        drawn_at timestamptz NOT NULL DEFAULT now(), released_at timestamptz,
        PRIMARY KEY (dealer_id, customer_id))`);
    await q.query(`
      INSERT INTO holdout_customers (dealer_id, customer_id, held)
      SELECT h.dealer_id, h.customer_id,
             NOT EXISTS (SELECT 1 FROM tasks t WHERE t.dealer_id = h.dealer_id AND t.customer_id = h.customer_id
                                                 AND t.status IN ('open', 'claimed', 'done'))
        FROM (SELECT DISTINCT dealer_id, customer_id FROM tasks WHERE status = 'holdout') h`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE holdout_customers');
  }
}
