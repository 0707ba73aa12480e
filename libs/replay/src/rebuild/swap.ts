import type { DataSource, EntityManager } from 'typeorm';

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

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

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
 * live schema moves to `archive` and the rebuilt one takes its place. Indexes and sequences move with
 * their tables, so the live schema never lacks a table.
 */
export async function swapProjections(
  live: DataSource,
  liveSchema: string,
  rebuiltSchema: string,
  archiveSchema: string,
  inside: (em: EntityManager) => Promise<void>,
): Promise<string[]> {
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
    await em.query(`CREATE SCHEMA ${q(archiveSchema)}`);
    for (const t of tables) {
      if (liveTables.includes(t))
        await em.query(`ALTER TABLE ${q(liveSchema)}.${q(t)} SET SCHEMA ${q(archiveSchema)}`);
      await em.query(`ALTER TABLE ${q(rebuiltSchema)}.${q(t)} SET SCHEMA ${q(liveSchema)}`);
    }
    return tables;
  });
}
