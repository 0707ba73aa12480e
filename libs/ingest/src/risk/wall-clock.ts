import type { Executor } from '../projections/sql';

/** Default of RISK_MAX_QUIET_ADVANCE_MS: how far past the newest event read the quiet rule may move time. */
export const DEFAULT_MAX_QUIET_ADVANCE_MS = 7 * 86_400_000;

/**
 * When every input partition is caught up and nothing arrived for `quietMs`, time follows the wall
 * clock (minus the allowed lateness), so a quiet live system still fires its timers on time. It follows
 * the wall clock only while the stream is live: at most `maxAdvanceMs` past the newest event read, so a
 * history push that pauses (its events years old) does not jump to today before the rest of it is read.
 * Returns that instant, or null while the stream is busy or behind.
 */
export async function quietWatermark(
  db: Executor,
  topics: string[],
  nowMs: number,
  allowedLatenessMs: number,
  quietMs: number,
  maxAdvanceMs: number = DEFAULT_MAX_QUIET_ADVANCE_MS,
): Promise<number | null> {
  const rows = await db.query<
    { partitions: number; behind: number; last: Date | null; newest: Date | number | null }[]
  >(
    `SELECT count(*)::int AS partitions, count(*) FILTER (WHERE NOT caught_up)::int AS behind, max(updated_at) AS last,
            max(max_event_at) AS newest
       FROM stream_watermarks WHERE topic = ANY($1::text[])`,
    [topics],
  );
  const r = rows[0];
  if (!r || r.partitions === 0 || r.behind > 0 || !r.last) return null;
  if (nowMs - new Date(r.last).getTime() < quietMs) return null;
  return quietInstant(
    nowMs,
    allowedLatenessMs,
    r.newest === null ? NaN : new Date(r.newest).getTime(),
    maxAdvanceMs,
  );
}

/**
 * The quiet rule's instant: the wall clock minus the allowed lateness, but no further than `maxAdvanceMs`
 * past the newest event time read. Null when no event was read (nothing can be due).
 */
export function quietInstant(
  nowMs: number,
  allowedLatenessMs: number,
  newestEventMs: number,
  maxAdvanceMs: number,
): number | null {
  if (!Number.isFinite(newestEventMs)) return null;
  return Math.min(nowMs - allowedLatenessMs, newestEventMs + maxAdvanceMs);
}
