import type { DataSource, EntityManager } from 'typeorm';
import {
  crossSchemaDependents,
  dependentViews,
  quoteIdent as q,
  quoteLiteral,
  recreateView,
} from './dependents';

/**
 * Tables that are not projections of the input events and stay in the live schema through a rebuild:
 * risk state, follow-ups, API, alerts, the outbox, replay bookkeeping and the migrations table.
 */
export const KEPT_TABLES = new Set([
  'schema_migrations',
  'outbox',
  'decisions',
  'suppressions',
  'risk_timers',
  'stream_watermarks',
  'value_models',
  'tasks',
  'task_decisions',
  'escalations',
  'api_tokens',
  'alert_subscriptions',
  'alert_dispatch',
  'alert_deliveries',
  'replay_runs',
  'replay_rejections',
]);

/** The projection tables of a schema: every table but the kept ones, in name order. */
export async function projectionTables(db: DataSource | EntityManager, schema: string): Promise<string[]> {
  const rows = await db.query<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.table_name).filter((t) => !KEPT_TABLES.has(t));
}

/** Next offset per partition the live projections have applied (from their processed keys). */
export async function appliedOffsets(
  db: DataSource | EntityManager,
  schema: string,
): Promise<Map<string, bigint>> {
  const rows = await db.query<{ topic: string; p: number; next: string }[]>(
    `SELECT topic, kafka_partition AS p, (max(kafka_offset) + 1)::text AS next FROM ${q(schema)}.processed_events GROUP BY 1, 2`,
  );
  return new Map(rows.map((r) => [`${r.topic}:${r.p}`, BigInt(r.next)]));
}

/**
 * Locks the live projections against writers (the ingest waits; readers go on) for the final catch-up
 * and swap, in one transaction: `inside` runs with the lock held, then every projection table of the
 * live schema moves to `archive` and the rebuilt one takes its place. Indexes, sequences and triggers
 * move with their tables, so the live schema never lacks a table. Views are bound to tables, not names:
 * the live views over the moved tables (e.g. `timeline`, with its INSERT trigger) move to the archive with
 * them and are created again in the live schema over the new tables; the rebuilt schema's own copies are
 * dropped. Anything else left bound across schemas (which dropping the archive or the rebuilt schema would
 * take along) aborts the swap, naming it. The archive schema gets `archive.comment`, which marks it as
 * a rebuild's archive.
 */
export async function swapProjections(
  live: DataSource,
  liveSchema: string,
  rebuiltSchema: string,
  archive: { schema: string; comment: string },
  inside: (em: EntityManager) => Promise<void>,
): Promise<string[]> {
  const archiveSchema = archive.schema;
  if (archiveSchema === liveSchema || archiveSchema === rebuiltSchema) {
    throw new Error(`rebuild: archive schema ${archiveSchema} is the live or the rebuilt schema`);
  }
  return live.transaction(async (em) => {
    await em.query(`SET LOCAL lock_timeout = '30s'`);
    const tables = await projectionTables(em, rebuiltSchema);
    const liveTables = await projectionTables(em, liveSchema);
    const missing = liveTables.filter((t) => !tables.includes(t));
    if (missing.length) throw new Error(`rebuild: the rebuilt schema lacks ${missing.join(', ')}`);
    await em.query(
      `LOCK TABLE ${liveTables.map((t) => `${q(liveSchema)}.${q(t)}`).join(', ')} IN EXCLUSIVE MODE`,
    );
    await inside(em);
    // Definitions are taken with only the live schema on the path, so they name its tables unqualified.
    await em.query(`SET LOCAL search_path TO ${q(liveSchema)}`);
    const views = await dependentViews(em, liveSchema, liveTables);
    const foreign = views.filter((v) => v.schema !== liveSchema);
    if (foreign.length) {
      throw new Error(
        `rebuild: ${foreign.map((v) => `${v.schema}.${v.name}`).join(', ')} read(s) the live projection tables; ` +
          'drop them before the rebuild and create them again after',
      );
    }
    const rebuiltViews = await dependentViews(em, rebuiltSchema, tables);
    if (rebuiltViews.length) {
      await em.query(`DROP VIEW ${rebuiltViews.map((v) => `${q(v.schema)}.${q(v.name)}`).join(', ')}`);
    }
    await em.query(`CREATE SCHEMA ${q(archiveSchema)}`);
    await em.query(`COMMENT ON SCHEMA ${q(archiveSchema)} IS ${quoteLiteral(archive.comment)}`);
    for (const v of views)
      await em.query(`ALTER VIEW ${q(liveSchema)}.${q(v.name)} SET SCHEMA ${q(archiveSchema)}`);
    for (const t of tables) {
      if (liveTables.includes(t))
        await em.query(`ALTER TABLE ${q(liveSchema)}.${q(t)} SET SCHEMA ${q(archiveSchema)}`);
      await em.query(`ALTER TABLE ${q(rebuiltSchema)}.${q(t)} SET SCHEMA ${q(liveSchema)}`);
    }
    for (const v of views) await recreateView(em, liveSchema, v);
    const bound = await crossSchemaDependents(em, [archiveSchema, rebuiltSchema]);
    if (bound.length) {
      throw new Error(
        `rebuild: swap abandoned, these objects would stay bound to the archived or rebuilt schema: ${bound.join('; ')}`,
      );
    }
    return tables;
  });
}
