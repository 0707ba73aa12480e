import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An API token may expire (`tokens create --expires-in 90d`): the bearer guard refuses it from `expires_at` on,
 * as it refuses a revoked one. Existing tokens keep no expiry (NULL).
 */
export class TokenExpiry1795301900000 implements MigrationInterface {
  name = 'TokenExpiry1795301900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_tokens DROP COLUMN expires_at');
  }
}
