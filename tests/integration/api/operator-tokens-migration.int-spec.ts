import type { DataSource } from 'typeorm';
import { createApiToken, resolvePrincipal } from '@rp/api';
import { MIGRATIONS, revertMigrations, runMigrations } from '@rp/database';
import { testConfig } from '../../support';
import { openDb } from '../../e2e/api/api-fixtures';

describe('the operator-tokens migration (platform role without dealer scope)', () => {
  const config = testConfig();
  let ds: DataSource;
  const insert = (id: string, role: string, dealer: string | null, branch: string | null) =>
    ds.query(
      `INSERT INTO api_tokens (token_id, secret_sha256, dealer_id, role, branch_id) VALUES ($1, 'x', $2, $3, $4)`,
      [id, dealer, role, branch],
    );

  beforeAll(async () => {
    ds = await openDb(config);
    await runMigrations(ds);
  });
  afterAll(async () => {
    await ds.query(`DROP SCHEMA IF EXISTS "${config.database.schema}" CASCADE`);
    await ds.destroy();
  });

  it('accepts an operator without dealer or branch, and keeps the dealer roles scoped', async () => {
    await expect(insert('op-ok', 'operator', null, null)).resolves.toBeDefined();
    await expect(insert('op-dealer', 'operator', 'd1', null)).rejects.toThrow(/api_tokens_scope_check/);
    await expect(insert('op-branch', 'operator', null, 'A')).rejects.toThrow(/api_tokens_scope_check/);
    await expect(insert('adm-nodealer', 'admin', null, null)).rejects.toThrow(/api_tokens_scope_check/);
    await expect(insert('adm-branch', 'admin', 'd1', 'A')).rejects.toThrow(/api_tokens_scope_check/);
    await expect(insert('mgr-nobranch', 'manager', 'd1', null)).rejects.toThrow(/api_tokens_scope_check/);
    await expect(insert('root', 'root', null, null)).rejects.toThrow(/api_tokens_role_check/);
    await expect(insert('mgr-ok', 'manager', 'd1', 'A')).resolves.toBeDefined();
  });

  it('resolves an operator token to a principal without a dealer', async () => {
    const { token, tokenId } = await createApiToken(ds, { role: 'operator', name: 'ops-oncall' });
    expect(await resolvePrincipal(ds, token)).toEqual({ tokenId, role: 'operator', subject: 'ops-oncall' });
    const admin = await createApiToken(ds, { role: 'admin', dealerId: 'd1' });
    expect(await resolvePrincipal(ds, admin.token)).toEqual({
      tokenId: admin.tokenId,
      dealerId: 'd1',
      role: 'admin',
      branchId: undefined,
      subject: `token:${admin.tokenId}`,
    });
  });

  it('is reversible: down removes operator tokens and restores the dealer-only rules', async () => {
    const steps = MIGRATIONS.length - MIGRATIONS.findIndex((m) => m.name === 'OperatorTokens1795300900000');
    expect(await revertMigrations(ds, steps)).toBe(steps);
    const roles = await ds.query<{ role: string }[]>('SELECT DISTINCT role FROM api_tokens ORDER BY role');
    expect(roles.map((r) => r.role)).toEqual(['admin', 'manager']);
    await expect(insert('op-after-down', 'operator', null, null)).rejects.toThrow(
      /not-null|check constraint/,
    );
    await expect(insert('mgr-after-down', 'manager', 'd1', null)).rejects.toThrow(/api_tokens_check/);
    expect(await runMigrations(ds)).toContain('OperatorTokens1795300900000');
    await expect(insert('op-again', 'operator', null, null)).resolves.toBeDefined();
  });
});
