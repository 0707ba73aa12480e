import { iso, type Executor } from '../projections/sql';

export interface PartitionProgress {
  topic: string;
  partition: number;
  /** Newest event time read in the partition (epoch ms). */
  maxEventMs: number;
  caughtUp: boolean;
}

/** Records how far in event time partitions have been read, and whether each is caught up (one statement). */
export async function advanceWatermarks(db: Executor, parts: PartitionProgress[]): Promise<void> {
  const byKey = new Map<string, PartitionProgress>();
  for (const p of parts) {
    const key = `${p.topic}\u0000${p.partition}`;
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...p, maxEventMs: Math.max(seen.maxEventMs, p.maxEventMs) } : p);
  }
  // Key order: concurrent transactions lock the rows in one order.
  const rows = [...byKey.values()].sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  );
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO stream_watermarks (topic, kafka_partition, max_event_at, caught_up)
     SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::boolean[])
     ON CONFLICT (topic, kafka_partition) DO UPDATE SET
       max_event_at = GREATEST(stream_watermarks.max_event_at, EXCLUDED.max_event_at),
       caught_up = EXCLUDED.caught_up, updated_at = now()`,
    [
      rows.map((r) => r.topic),
      rows.map((r) => r.partition),
      rows.map((r) => iso(r.maxEventMs)),
      rows.map((r) => r.caughtUp),
    ],
  );
}

/**
 * A batch that reached its partition's end but applied nothing (every message rejected) still says the
 * partition is caught up: otherwise a flag left false by the batch before it would hold the stream "behind".
 */
export async function markCaughtUp(db: Executor, topic: string, partition: number): Promise<void> {
  await db.query(
    `UPDATE stream_watermarks SET caught_up = true, updated_at = now()
      WHERE topic = $1 AND kafka_partition = $2 AND NOT caught_up`,
    [topic, partition],
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

/** The input streams' event-time watermark, and whether any partition is still behind its end. */
export interface StreamClock {
  /** See readWatermark. */
  watermarkMs: number;
  /**
   * A partition that has not caught up lags the newest event read by more than BACKLOG_GAP_MS: a backlog or
   * replay is being read (the watermark is held by it and moves in small steps). A partition a few moments
   * behind, as happens live under load, does not count.
   */
  behind: boolean;
}

/** How far (event time) a lagging partition must trail the newest event read for StreamClock.behind. */
export const BACKLOG_GAP_MS = 3_600_000;

/**
 * The event-time watermark of the input streams: the slowest partition still behind decides (a
 * partition that is caught up cannot hold time back), minus the allowed lateness. Null before any data.
 */
export async function readWatermark(
  db: Executor,
  topics: string[],
  allowedLatenessMs: number,
): Promise<number | null> {
  return (await readStreamClock(db, topics, allowedLatenessMs))?.watermarkMs ?? null;
}

/** readWatermark, and whether a partition is behind, in one query. Null before any data. */
export async function readStreamClock(
  db: Executor,
  topics: string[],
  allowedLatenessMs: number,
): Promise<StreamClock | null> {
  const rows = await db.query<{ behind: Date | null; newest: Date | null; lagging: boolean | null }[]>(
    `SELECT min(max_event_at) FILTER (WHERE NOT caught_up) AS behind, max(max_event_at) AS newest,
            min(max_event_at) FILTER (WHERE NOT caught_up) < max(max_event_at) - make_interval(secs => $2) AS lagging
       FROM stream_watermarks WHERE topic = ANY($1::text[])`,
    [topics, BACKLOG_GAP_MS / 1000],
  );
  const at = rows[0]?.behind ?? rows[0]?.newest;
  const ms = at ? new Date(at).getTime() : NaN;
  if (!Number.isFinite(ms)) return null; // -infinity: a partition not read yet
  return { watermarkMs: ms - allowedLatenessMs, behind: rows[0]?.lagging === true };
}
