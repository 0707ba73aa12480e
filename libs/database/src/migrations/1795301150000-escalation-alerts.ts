import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Escalation alerts: an overdue task's escalation writes an outbox row of kind `escalation` (in the
 * transaction that sets `escalated_at`) and the alert fan-out delivers it like a decision.
 * - `alert_subscriptions.alert_types`: the alert types a subscription receives, `churn.alert` (decisions)
 *   and/or `task.escalated`. Default both, for existing subscriptions too: PRODUCT.md has an overdue task
 *   alert its branch lead and webhooks are the alert channel; the body's `type` tells them apart.
 * - `alert_dispatch.source_kind`: the outbox kind the dispatch row's `decision_id` (the dedup key) refers to.
 * - the fan-out's pending index covers both kinds.
 */
export class EscalationAlerts1795301150000 implements MigrationInterface {
  name = 'EscalationAlerts1795301150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE alert_subscriptions ADD COLUMN alert_types text[] NOT NULL
        DEFAULT '{churn.alert,task.escalated}'
        CHECK (alert_types <@ '{churn.alert,task.escalated}'::text[])`);
    await q.query(`
      ALTER TABLE alert_dispatch ADD COLUMN source_kind text NOT NULL DEFAULT 'decision'
        CHECK (source_kind IN ('decision', 'escalation'))`);
    await q.query(`
      CREATE INDEX outbox_alert_sources_pending_idx ON outbox (id)
       WHERE kind IN ('decision', 'escalation') AND alerts_scanned_at IS NULL`);
    await q.query('DROP INDEX outbox_alerts_pending_idx');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX outbox_alerts_pending_idx ON outbox (id) WHERE kind = 'decision' AND alerts_scanned_at IS NULL`,
    );
    await q.query('DROP INDEX outbox_alert_sources_pending_idx');
    await q.query(`DELETE FROM alert_dispatch WHERE source_kind <> 'decision'`);
    await q.query('ALTER TABLE alert_dispatch DROP COLUMN source_kind');
    await q.query('ALTER TABLE alert_subscriptions DROP COLUMN alert_types');
    await q.query(`DELETE FROM outbox WHERE kind = 'escalation'`);
  }
}
