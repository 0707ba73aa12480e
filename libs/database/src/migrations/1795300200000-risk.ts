import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk engine: decisions and suppressions (one row per deterministic id), evaluation timers keyed by
 * event time, per-partition event-time watermarks, fitted BG/NBD models (versioned, one per dealer and
 * monthly cut-off), and the outbox's Kafka publication mark.
 */
export class Risk1795300200000 implements MigrationInterface {
  name = 'Risk1795300200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE decisions (
        dealer_id text NOT NULL, decision_id text NOT NULL, customer_id text NOT NULL, serial_number text,
        branch_id text, reason_code text NOT NULL, family text NOT NULL, message text NOT NULL,
        evidence_event_ids jsonb NOT NULL, rule_id text NOT NULL, rule_version text NOT NULL, episode text NOT NULL,
        detected_at timestamptz NOT NULL, urgency jsonb NOT NULL DEFAULT '{}',
        clv numeric NOT NULL, p_lapse numeric NOT NULL, value_at_risk numeric NOT NULL, priority numeric NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dealer_id, decision_id))`);
    await q.query(`CREATE INDEX decisions_customer_idx ON decisions (dealer_id, customer_id, detected_at)`);
    await q.query(`
      CREATE TABLE suppressions (
        dealer_id text NOT NULL, suppression_id text NOT NULL, customer_id text NOT NULL, serial_number text NOT NULL,
        reason_code text NOT NULL, message text NOT NULL, evidence_event_ids jsonb NOT NULL,
        rule_id text NOT NULL, rule_version text NOT NULL, episode text NOT NULL,
        since timestamptz NOT NULL, detected_at timestamptz NOT NULL,
        PRIMARY KEY (dealer_id, suppression_id))`);
    await q.query(`
      CREATE TABLE risk_timers (
        dealer_id text NOT NULL, customer_id text NOT NULL, due_at timestamptz NOT NULL,
        PRIMARY KEY (dealer_id, customer_id, due_at))`);
    await q.query(`CREATE INDEX risk_timers_due_idx ON risk_timers (due_at)`);
    await q.query(`
      CREATE TABLE stream_watermarks (
        topic text NOT NULL, kafka_partition integer NOT NULL, max_event_at timestamptz NOT NULL,
        caught_up boolean NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, kafka_partition))`);
    await q.query(`
      CREATE TABLE value_models (
        dealer_id text NOT NULL, fitted_as_of timestamptz NOT NULL, version text NOT NULL,
        params jsonb NOT NULL, customers integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dealer_id, fitted_as_of))`);
    await q.query(`ALTER TABLE outbox ADD COLUMN published_at timestamptz`);
    await q.query(`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_unpublished_idx');
    await q.query('ALTER TABLE outbox DROP COLUMN published_at');
    for (const t of ['value_models', 'stream_watermarks', 'risk_timers', 'suppressions', 'decisions'])
      await q.query(`DROP TABLE ${t}`);
  }
}
