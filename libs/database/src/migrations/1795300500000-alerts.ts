import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Churn alerts: per-dealer webhook subscriptions, one dispatch row per (decision, subscription) — the
 * delivery id and its final state — and a log row per HTTP attempt. The outbox gets its own
 * `alerts_scanned_at` mark, so the alert fan-out never touches the relay's dispatched_at / applied_at.
 */
export class Alerts1795300500000 implements MigrationInterface {
  name = 'Alerts1795300500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_subscriptions (
        dealer_id text NOT NULL, subscription_id text NOT NULL,
        url text NOT NULL, secret text NOT NULL,
        reason_codes text[], min_priority numeric NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true, created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dealer_id, subscription_id))`);
    await q.query(`
      CREATE TABLE alert_dispatch (
        dealer_id text NOT NULL, decision_id text NOT NULL, subscription_id text NOT NULL,
        delivery_id text NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
        created_at timestamptz NOT NULL DEFAULT now(), enqueued_at timestamptz,
        finished_at timestamptz, last_error text,
        PRIMARY KEY (dealer_id, decision_id, subscription_id))`);
    await q.query(
      `CREATE INDEX alert_dispatch_unqueued_idx ON alert_dispatch (created_at) WHERE enqueued_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX alert_dispatch_pending_idx ON alert_dispatch (enqueued_at) WHERE status = 'pending' AND enqueued_at IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE alert_deliveries (
        id bigserial PRIMARY KEY, dealer_id text NOT NULL, delivery_id text NOT NULL, attempt integer NOT NULL,
        status_code integer, error text, duration_ms integer NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX alert_deliveries_delivery_idx ON alert_deliveries (delivery_id, attempt)`);
    await q.query(`ALTER TABLE outbox ADD COLUMN alerts_scanned_at timestamptz`);
    // No subscription existed before this migration: decisions already recorded have nobody to alert.
    await q.query(`UPDATE outbox SET alerts_scanned_at = created_at WHERE kind = 'decision'`);
    await q.query(
      `CREATE INDEX outbox_alerts_pending_idx ON outbox (id) WHERE kind = 'decision' AND alerts_scanned_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_alerts_pending_idx');
    await q.query('ALTER TABLE outbox DROP COLUMN alerts_scanned_at');
    for (const t of ['alert_deliveries', 'alert_dispatch', 'alert_subscriptions'])
      await q.query(`DROP TABLE ${t}`);
  }
}
