import type { AppConfig } from '@rp/config';
import { createDataSource, revertMigrations, runMigrations } from '@rp/database';
import type { Logger } from '@rp/observability';

export async function migrate(
  config: AppConfig,
  logger: Logger,
  direction: 'up' | 'down',
  steps = 1,
): Promise<void> {
  const ds = createDataSource({ ...config.database, applicationName: 'rp-migrate' });
  await ds.initialize();
  try {
    if (direction === 'up') {
      const applied = await runMigrations(ds);
      logger.info(
        { applied, schema: config.database.schema },
        applied.length ? 'migrations applied' : 'schema up to date',
      );
    } else {
      const reverted = await revertMigrations(ds, steps);
      logger.info({ reverted, schema: config.database.schema }, 'migrations reverted');
    }
  } finally {
    await ds.destroy();
  }
}
