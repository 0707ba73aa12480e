import type { Executor } from '../projections/sql';

/**
 * When every input partition is caught up and nothing arrived for `quietMs`, time follows the wall
 * clock (minus the allowed lateness), so a quiet live system still fires its timers on time.
 * Returns that instant, or null while the stream is busy or behind.
 */
export async function quietWatermark(
  db: Executor,
  topics: string[],
  nowMs: number,
  allowedLatenessMs: number,
  quietMs: number,
): Promise<number | null> {
  const rows = await db.query<{ partitions: number; behind: number; last: Date | null }[]>(
    `SELECT count(*)::int AS partitions, count(*) FILTER (WHERE NOT caught_up)::int AS behind, max(updated_at) AS last
       FROM stream_watermarks WHERE topic = ANY($1::text[])`,
    [topics],
  );
  const r = rows[0];
  if (!r || r.partitions === 0 || r.behind > 0 || !r.last) return null;
  if (nowMs - new Date(r.last).getTime() < quietMs) return null;
  return nowMs - allowedLatenessMs;
}
