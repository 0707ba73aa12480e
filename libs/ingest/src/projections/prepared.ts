import { createHash } from 'node:crypto';
import type { Executor } from './sql';

/** The node-postgres client behind a TypeORM transaction's EntityManager (or a QueryRunner). */
interface PgClient {
  query(config: {
    name: string;
    text: string;
    values?: unknown[];
  }): Promise<{ rows: unknown[]; command: string; rowCount: number | null }>;
}

function clientOf(db: Executor): PgClient | undefined {
  // An EntityManager of a transaction holds its QueryRunner; a QueryRunner holds the client itself.
  type Runner = { databaseConnection?: PgClient; isReleased?: boolean };
  const runner: Runner = (db as { queryRunner?: Runner }).queryRunner ?? (db as Runner);
  return runner.isReleased ? undefined : runner.databaseConnection;
}

/**
 * Distinct statement texts that get a prepared statement. Our statement texts are fixed per call site, so this
 * is never reached; it bounds what each connection keeps on the server if a caller ever built texts freely.
 */
const MAX_PREPARED = 256;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_PREPARED) {
    name = `rp_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * An executor that runs each statement as a named prepared statement on the transaction's connection:
 * Postgres parses and plans it once per connection instead of at every call (a sweep round's state queries
 * spent a quarter of Postgres' time in the planner). Results as TypeORM's `query` gives them. Without a
 * dedicated connection (a DataSource) it passes through.
 */
export function preparing(db: Executor): Executor {
  if (clientOf(db) === undefined) return db;
  return {
    async query<T>(text: string, params: unknown[] = []): Promise<T> {
      const client = clientOf(db);
      const name = nameOf(text);
      if (client === undefined || name === undefined) return db.query<T>(text, params);
      const r = await client.query({ name, text, values: params });
      // As TypeORM's query(): rows, except [rows, count] for a bare UPDATE or DELETE.
      return (r.command === 'UPDATE' || r.command === 'DELETE' ? [r.rows, r.rowCount] : r.rows) as T;
    },
  };
}
