import type { DataSource } from 'typeorm';

/** Round trip to Postgres; throws if the database does not answer. */
export async function pingPostgres(ds: DataSource): Promise<void> {
  if (!ds.isInitialized) throw new Error('not connected');
  await ds.query('SELECT 1');
}
