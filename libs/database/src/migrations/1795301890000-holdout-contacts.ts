import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contact is a task that reached a person: an open or claimed task, or a done one that was claimed or
 * completed by a person (the API's completion always sets `assignee`). A suppression closing a holdout record
 * is no contact, yet 1795301850000's backfill counted every done task as one and recorded such held-out
 * customers as `held = false` (their next decision opened their holdout records). This repairs them: a
 * customer not released whose holdout records remain and who has no contact is held out again.
 * `tasks.closed_in_holdout` marks, from now on, a task closed while still a holdout record (by a suppression),
 * so reports and the queue can tell it from a task that was in front of a person. Older suppression-closed
 * holdout records keep false: their rows do not say whether they were holdout records or unclaimed open tasks.
 */
export class HoldoutContacts1795301890000 implements MigrationInterface {
  name = 'HoldoutContacts1795301890000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks ADD COLUMN closed_in_holdout boolean NOT NULL DEFAULT false');
    await q.query(`
      UPDATE holdout_customers h SET held = true
       WHERE NOT h.held AND h.released_at IS NULL
         AND EXISTS (SELECT 1 FROM tasks t WHERE t.dealer_id = h.dealer_id AND t.customer_id = h.customer_id
                                             AND t.status = 'holdout')
         AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.dealer_id = h.dealer_id AND t.customer_id = h.customer_id
                                                 AND (t.status IN ('open', 'claimed')
                                                      OR (t.status = 'done' AND t.assignee IS NOT NULL)))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks DROP COLUMN closed_in_holdout');
  }
}
