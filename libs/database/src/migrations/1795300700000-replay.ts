import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replays: a replay schema records its one run (plan, rule set, progress, outcome) and the input it
 * rejected (a replay never writes to the live DLQ). Present in every schema, used only by replays.
 */
export class Replay1795300700000 implements MigrationInterface {
  name = 'Replay1795300700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE replay_runs (
        name text PRIMARY KEY, mode text NOT NULL, topics jsonb NOT NULL, from_spec text NOT NULL, to_spec text NOT NULL,
        ranges jsonb NOT NULL, group_id text NOT NULL, rule_set jsonb NOT NULL, rule_set_version text NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'complete')),
        started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz, resumed integer NOT NULL DEFAULT 0)`);
    await q.query(`
      CREATE TABLE replay_rejections (
        topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL, code text NOT NULL,
        PRIMARY KEY (topic, kafka_partition, kafka_offset))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE replay_rejections');
    await q.query('DROP TABLE replay_runs');
  }
}
