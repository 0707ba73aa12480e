import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Foundation: processed-event keys (idempotent consumers) and the transactional outbox. */
export class Foundation1795300000000 implements MigrationInterface {
  name = 'Foundation1795300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE processed_events (
        dealer_id   text        NOT NULL,
        event_id    text        NOT NULL,
        topic       text        NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint     NOT NULL,
        occurred_at timestamptz NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dealer_id, event_id)
      )`);
    await q.query(`
      CREATE TABLE outbox (
        id          bigserial   PRIMARY KEY,
        dealer_id   text        NOT NULL,
        kind        text        NOT NULL,
        dedup_key   text        NOT NULL,
        payload     jsonb       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        UNIQUE (dealer_id, kind, dedup_key)
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE outbox');
    await q.query('DROP TABLE processed_events');
  }
}
