import { iso, type Executor } from '../projections/sql';

/** Records how far in event time a partition has been read, and whether it is caught up. */
export async function advanceWatermark(
  db: Executor,
  topic: string,
  partition: number,
  maxEventMs: number,
  caughtUp: boolean,
): Promise<void> {
  await db.query(
    `INSERT INTO stream_watermarks (topic, kafka_partition, max_event_at, caught_up) VALUES ($1, $2, $3, $4)
     ON CONFLICT (topic, kafka_partition) DO UPDATE SET
       max_event_at = GREATEST(stream_watermarks.max_event_at, EXCLUDED.max_event_at),
       caught_up = EXCLUDED.caught_up, updated_at = now()`,
    [topic, partition, iso(maxEventMs), caughtUp],
  );
}

/**
 * Registers every partition of the input topics before consuming: one not yet read holds the watermark
 * back (at -infinity) unless it is empty, so no timer fires ahead of a partition nobody has read yet.
 */
export async function registerPartitions(
  db: Executor,
  partitions: { topic: string; partition: number; empty: boolean }[],
): Promise<void> {
  await db.query(
    `INSERT INTO stream_watermarks (topic, kafka_partition, max_event_at, caught_up)
     SELECT t, p, '-infinity', e FROM unnest($1::text[], $2::int[], $3::boolean[]) AS x(t, p, e)
     ON CONFLICT DO NOTHING`,
    [partitions.map((p) => p.topic), partitions.map((p) => p.partition), partitions.map((p) => p.empty)],
  );
}

/**
 * The event-time watermark of the input streams: the slowest partition still behind decides (a
 * partition that is caught up cannot hold time back), minus the allowed lateness. Null before any data.
 */
export async function readWatermark(
  db: Executor,
  topics: string[],
  allowedLatenessMs: number,
): Promise<number | null> {
  const rows = await db.query<{ behind: Date | null; newest: Date | null }[]>(
    `SELECT min(max_event_at) FILTER (WHERE NOT caught_up) AS behind, max(max_event_at) AS newest
       FROM stream_watermarks WHERE topic = ANY($1::text[])`,
    [topics],
  );
  const at = rows[0]?.behind ?? rows[0]?.newest;
  const ms = at ? new Date(at).getTime() : NaN;
  return Number.isFinite(ms) ? ms - allowedLatenessMs : null; // -infinity: a partition not read yet
}
