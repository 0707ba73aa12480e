export { createDataSource, type DatabaseOptions } from './data-source';
export { runMigrations, revertMigrations } from './migrate';
export { pingPostgres } from './postgres.health';
export { DatabaseModule } from './database.module';
export { MIGRATIONS } from './migrations';
export { listenOutbox, type OutboxListener } from './outbox-listener';
export { isTransient, backoffMs } from './transient';
