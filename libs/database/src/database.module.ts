import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { LOGGER, type Logger } from '@rp/observability';
import { createDataSource } from './data-source';
import { runMigrations } from './migrate';

/** Provides the initialised DataSource; migrates at boot under the advisory lock when configured. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [APP_CONFIG, LOGGER],
          useFactory: async (config: AppConfig, logger: Logger) => {
            const ds = createDataSource({
              ...config.database,
              applicationName: `rp-${config.roles.join('+')}`,
            });
            await ds.initialize();
            if (config.database.migrateOnBoot) {
              const applied = await runMigrations(ds);
              if (applied.length) logger.info({ applied }, 'migrations applied');
            }
            return ds;
          },
        },
      ],
      exports: [DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
