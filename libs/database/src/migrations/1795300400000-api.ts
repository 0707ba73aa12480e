import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API bearer tokens (stored hashed), the note of a task's outcome, and the outcome publisher's index. */
export class Api1795300400000 implements MigrationInterface {
  name = 'Api1795300400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_tokens (
        token_id text PRIMARY KEY, secret_sha256 text NOT NULL,
        dealer_id text NOT NULL, role text NOT NULL CHECK (role IN ('admin', 'manager')), branch_id text,
        name text, created_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz,
        CHECK ((role = 'manager') = (branch_id IS NOT NULL)))`);
    await q.query(`ALTER TABLE tasks ADD COLUMN outcome_note text`);
    await q.query(`
      CREATE INDEX outbox_outcomes_unpublished_idx ON outbox (id) WHERE kind = 'outcome' AND published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_outcomes_unpublished_idx');
    await q.query('ALTER TABLE tasks DROP COLUMN outcome_note');
    await q.query('DROP TABLE api_tokens');
  }
}
