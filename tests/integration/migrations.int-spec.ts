import { createDataSource, MIGRATIONS, revertMigrations, runMigrations } from '@rp/database';
import type { DataSource } from 'typeorm';
import { testConfig } from '../support';

describe('migrations', () => {
  const config = testConfig();
  let ds: DataSource;

  const tables = async (): Promise<string[]> =>
    (
      await ds.query<{ table_name: string }[]>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
        [config.database.schema],
      )
    ).map((r) => r.table_name);

  beforeAll(async () => {
    ds = createDataSource(config.database);
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
    await ds.destroy();
  });

  it('go up into a fresh schema, down to nothing, and up again', async () => {
    const applied = await runMigrations(ds);
    expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tables()).toEqual(
      expect.arrayContaining(['outbox', 'processed_events', 'schema_migrations']),
    );
    expect(await runMigrations(ds)).toEqual([]);

    expect(await revertMigrations(ds, Infinity)).toBe(MIGRATIONS.length);
    expect(await tables()).toEqual(['schema_migrations']);

    expect(await runMigrations(ds)).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toContain('processed_events');
  });

  it('serialises concurrent migrators with the advisory lock', async () => {
    const other = createDataSource({ ...config.database, schema: `${config.database.schema}_b` });
    const third = createDataSource({ ...config.database, schema: `${config.database.schema}_b` });
    await Promise.all([other.initialize(), third.initialize()]);
    try {
      const [x, y] = await Promise.all([runMigrations(other), runMigrations(third)]);
      expect(x.length + y.length).toBe(MIGRATIONS.length);
    } finally {
      await other.query(`DROP SCHEMA IF EXISTS ${config.database.schema}_b CASCADE`);
      await Promise.all([other.destroy(), third.destroy()]);
    }
  });
});
