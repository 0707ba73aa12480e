import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  url: string;
  schema: string;
  poolSize: number;
  applicationName?: string;
}

/**
 * A TypeORM DataSource whose connections all use `schema` as search_path, so every table and the
 * migrations table live in that schema (tests and replays get isolated schemas this way).
 * Never `synchronize`: the schema comes from migrations only.
 */
export function createDataSource(opts: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    logging: false,
    poolSize: opts.poolSize,
    applicationName: opts.applicationName ?? 'retention-pipeline',
    extra: { options: `-c search_path=${opts.schema}`, connectionTimeoutMillis: 5000 },
  });
}
