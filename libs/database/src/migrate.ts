import type { DataSource } from 'typeorm';

// Arbitrary constant: every replica that migrates at boot takes this lock, one at a time.
const MIGRATION_LOCK_KEY = 727_150_319;

async function withMigrationLock<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  const schema = (ds.options as { schema?: string }).schema ?? 'public';
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_KEY, schema]);
    try {
      await qr.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
      return await fn();
    } finally {
      await qr.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_KEY, schema]);
    }
  } finally {
    await qr.release();
  }
}

/** Applies pending migrations under an advisory lock (safe when several replicas boot at once). */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  return withMigrationLock(ds, async () => {
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  });
}

/** Reverts the last `steps` applied migrations (all of them with steps = Infinity). */
export async function revertMigrations(ds: DataSource, steps = 1): Promise<number> {
  return withMigrationLock(ds, async () => {
    let reverted = 0;
    while (reverted < steps) {
      const applied = await ds.query<unknown[]>('SELECT id FROM schema_migrations LIMIT 1').catch(() => []);
      if (applied.length === 0) break;
      await ds.undoLastMigration({ transaction: 'each' });
      reverted++;
    }
    return reverted;
  });
}
