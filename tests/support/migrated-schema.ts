import type { DataSource } from 'typeorm';
import { runMigrations } from '@rp/database';

/**
 * Jest hooks for a test file's own schema: initialise the data source and migrate before all tests, drop the
 * schema and close after them.
 */
export function useMigratedSchema(ds: DataSource, schema: string): void {
  beforeAll(async () => {
    await ds.initialize();
    await runMigrations(ds);
  });
  afterAll(async () => {
    await ds.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await ds.destroy();
  });
}
