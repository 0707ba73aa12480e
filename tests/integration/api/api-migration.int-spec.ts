import type { DataSource } from 'typeorm';
import { MIGRATIONS, revertMigrations, runMigrations } from '@rp/database';
import { testConfig } from '../../support';
import { openDb } from '../../e2e/api/api-fixtures';

describe('the api migration (tokens, outcome note, outcome publisher index)', () => {
  const config = testConfig();
  let ds: DataSource;
  const exists = async (sql: string): Promise<boolean> =>
    (await ds.query<{ ok: boolean }[]>(`SELECT ${sql} AS ok`, [config.database.schema]))[0].ok;
  const tokensTable = `to_regclass($1 || '.api_tokens') IS NOT NULL`;
  const noteColumn = `EXISTS (SELECT 1 FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = 'tasks' AND column_name = 'outcome_note')`;

  beforeAll(async () => {
    ds = await openDb(config);
    await runMigrations(ds);
  });
  afterAll(async () => {
    await ds.query(`DROP SCHEMA IF EXISTS "${config.database.schema}" CASCADE`);
    await ds.destroy();
  });

  it('is reversible and re-applies cleanly', async () => {
    expect(await exists(tokensTable)).toBe(true);
    expect(await exists(noteColumn)).toBe(true);
    // Down to (and including) the api migration: every later one is reverted first.
    const steps = MIGRATIONS.length - MIGRATIONS.findIndex((m) => m.name === 'Api1795300400000');
    const reverted = await revertMigrations(ds, steps);
    expect(reverted).toBe(steps);
    expect(await exists(tokensTable)).toBe(false);
    expect(await exists(noteColumn)).toBe(false);
    expect(await runMigrations(ds)).toContain('Api1795300400000');
    expect(await exists(tokensTable)).toBe(true);
  });

  it('refuses a manager token without a branch and an admin token with one', async () => {
    const insert = (role: string, branch: string | null) =>
      ds.query(
        `INSERT INTO api_tokens (token_id, secret_sha256, dealer_id, role, branch_id) VALUES ($1, 'x', 'd', $2, $3)`,
        [`${role}-${String(branch)}`, role, branch],
      );
    await expect(insert('manager', null)).rejects.toThrow(/check constraint/);
    await expect(insert('admin', 'A')).rejects.toThrow(/check constraint/);
    await expect(insert('manager', 'A')).resolves.toBeDefined();
  });
});
