import type { DataSource, EntityManager } from 'typeorm';
import { quietWatermark, readWatermark } from '@rp/ingest';

/** Counts stop here: a scrape stays cheap whatever the backlog (a saturated gauge already says "far behind"). */
export const COUNT_CAP = 100_000;
/** Newest webhook attempts looked at for the recent-deliveries gauge (newest first, by primary key). */
export const RECENT_ATTEMPTS_SCANNED = 10_000;
export const RECENT_WINDOW_MS = 5 * 60_000;

/** Who drains which outbox rows: the consumer, the kinds it reads, and its "done" column. */
export interface OutboxConsumer {
  consumer: 'publisher' | 'relay' | 'alerts' | 'outcomes';
  kinds: string[];
  doneColumn: 'published_at' | 'dispatched_at' | 'alerts_scanned_at';
}

export const OUTBOX_CONSUMERS: Record<OutboxConsumer['consumer'], OutboxConsumer> = {
  publisher: { consumer: 'publisher', kinds: ['decision'], doneColumn: 'published_at' },
  relay: { consumer: 'relay', kinds: ['decision', 'suppression'], doneColumn: 'dispatched_at' },
  alerts: { consumer: 'alerts', kinds: ['decision', 'escalation'], doneColumn: 'alerts_scanned_at' },
  outcomes: { consumer: 'outcomes', kinds: ['outcome'], doneColumn: 'published_at' },
};

export interface OutboxBacklog {
  consumer: string;
  kind: string;
  pending: number;
  /** created_at of the oldest pending row (epoch ms), null when none is pending. */
  oldestMs: number | null;
}

/**
 * Runs `fn` in a read-only transaction whose statements Postgres cancels after `timeoutMs` (a lock wait
 * or a slow plan frees its connection; the caller's own timeout covers a server that does not answer).
 */
export function boundedRead<T>(ds: DataSource, timeoutMs: number, fn: (em: EntityManager) => Promise<T>) {
  return ds.transaction(async (em) => {
    await em.query(`SET TRANSACTION READ ONLY`);
    await em.query(`SELECT set_config('statement_timeout', $1, true)`, [`${Math.max(1, timeoutMs)}ms`]);
    return fn(em);
  });
}

/** Pending rows (capped) and the oldest one, per consumer and kind: each an index scan of a partial index. */
export async function outboxBacklog(
  em: EntityManager,
  consumers: OutboxConsumer[],
): Promise<OutboxBacklog[]> {
  const out: OutboxBacklog[] = [];
  for (const c of consumers) {
    for (const kind of c.kinds) {
      // The column comes from OUTBOX_CONSUMERS (never from input); values are parameters.
      const pending = `FROM outbox WHERE kind = $1 AND ${c.doneColumn} IS NULL`;
      const rows = await em.query<{ n: number; oldest: Date | null }[]>(
        `SELECT (SELECT count(*)::int FROM (SELECT 1 ${pending} LIMIT $2) capped) AS n,
                (SELECT created_at ${pending} ORDER BY id LIMIT 1) AS oldest`,
        [kind, COUNT_CAP],
      );
      const r = rows[0];
      out.push({
        consumer: c.consumer,
        kind,
        pending: r?.n ?? 0,
        oldestMs: r?.oldest ? new Date(r.oldest).getTime() : null,
      });
    }
  }
  return out;
}

export interface RiskClock {
  topics: string[];
  allowedLatenessMs: number;
  quietMs: number;
  maxQuietAdvanceMs: number;
}

export interface RiskBacklog {
  /** Event time of the input streams (slowest partition still behind, else the newest read); null: no data. */
  streamMs: number | null;
  /** The detection watermark timers fire up to (the quiet rule's wall-clock instant when quiet); null: none. */
  watermarkMs: number | null;
  due: number;
  /** due_at of the oldest timer at or before the watermark; null when none is due. */
  oldestDueMs: number | null;
}

/** The risk engine's backlog: the stream's event time, and the timers its watermark has passed. */
export async function riskBacklog(em: EntityManager, clock: RiskClock, nowMs: number): Promise<RiskBacklog> {
  const streamMs = await readWatermark(em, clock.topics, 0);
  const watermarkMs =
    (await quietWatermark(
      em,
      clock.topics,
      nowMs,
      clock.allowedLatenessMs,
      clock.quietMs,
      clock.maxQuietAdvanceMs,
    )) ?? (await readWatermark(em, clock.topics, clock.allowedLatenessMs));
  if (watermarkMs === null) return { streamMs, watermarkMs, due: 0, oldestDueMs: null };
  const due = new Date(watermarkMs).toISOString();
  const rows = await em.query<{ n: number; oldest: Date | null }[]>(
    `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM risk_timers WHERE due_at <= $1 LIMIT $2) capped) AS n,
            (SELECT min(due_at) FROM risk_timers WHERE due_at <= $1) AS oldest`,
    [due, COUNT_CAP],
  );
  const r = rows[0];
  return {
    streamMs,
    watermarkMs,
    due: r?.n ?? 0,
    oldestDueMs: r?.oldest ? new Date(r.oldest).getTime() : null,
  };
}

export const ACTIVE_TASK_STATUSES = ['open', 'claimed', 'holdout'] as const;

/**
 * Active tasks by status, every dealer together (the partial index of active tasks; `done` only grows and
 * is left out).
 */
export async function activeTasks(em: EntityManager): Promise<Record<string, number>> {
  const rows = await em.query<{ status: string; n: number }[]>(
    `SELECT status, count(*)::int AS n FROM tasks WHERE status IN ('open', 'claimed', 'holdout') GROUP BY status`,
  );
  const out: Record<string, number> = Object.fromEntries(ACTIVE_TASK_STATUSES.map((s) => [s, 0]));
  for (const r of rows) out[r.status] = r.n;
  return out;
}

export const WEBHOOK_OUTCOMES = ['delivered', 'http_error', 'no_response'] as const;

/**
 * Webhook delivery attempts since `sinceMs` by outcome: 2xx, another HTTP status, or no response (timeout,
 * refused). Reads at most the newest RECENT_ATTEMPTS_SCANNED attempts (primary key, newest first).
 */
export async function recentWebhookAttempts(
  em: EntityManager,
  sinceMs: number,
): Promise<Record<string, number>> {
  const rows = await em.query<{ outcome: string; n: number }[]>(
    `SELECT CASE WHEN status_code BETWEEN 200 AND 299 THEN 'delivered'
                 WHEN status_code IS NOT NULL THEN 'http_error' ELSE 'no_response' END AS outcome,
            count(*)::int AS n
       FROM (SELECT status_code, at FROM alert_deliveries ORDER BY id DESC LIMIT $2) newest
      WHERE at >= $1 GROUP BY 1`,
    [new Date(sinceMs).toISOString(), RECENT_ATTEMPTS_SCANNED],
  );
  const out: Record<string, number> = Object.fromEntries(WEBHOOK_OUTCOMES.map((o) => [o, 0]));
  for (const r of rows) out[r.outcome] = r.n;
  return out;
}
