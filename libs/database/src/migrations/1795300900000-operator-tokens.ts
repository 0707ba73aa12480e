import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `operator` API tokens: platform staff with no dealer scope (queue dashboard). Dealer tokens keep their
 * scope rules: an admin has a dealer and no branch, a manager a dealer and a branch.
 */
export class OperatorTokens1795300900000 implements MigrationInterface {
  name = 'OperatorTokens1795300900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check`);
    await q.query(`ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_check`);
    await q.query(`ALTER TABLE api_tokens ALTER COLUMN dealer_id DROP NOT NULL`);
    await q.query(`
      ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check
        CHECK (role IN ('admin', 'manager', 'operator'))`);
    await q.query(`
      ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scope_check CHECK (
        CASE role
          WHEN 'operator' THEN dealer_id IS NULL AND branch_id IS NULL
          WHEN 'admin' THEN dealer_id IS NOT NULL AND branch_id IS NULL
          ELSE dealer_id IS NOT NULL AND branch_id IS NOT NULL
        END)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Operator tokens cannot exist in the older schema: reverting revokes them by deleting them.
    await q.query(`DELETE FROM api_tokens WHERE role = 'operator'`);
    await q.query(`ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_scope_check`);
    await q.query(`ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check`);
    await q.query(`ALTER TABLE api_tokens ALTER COLUMN dealer_id SET NOT NULL`);
    await q.query(
      `ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('admin', 'manager'))`,
    );
    await q.query(`
      ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_check CHECK ((role = 'manager') = (branch_id IS NOT NULL))`);
  }
}
