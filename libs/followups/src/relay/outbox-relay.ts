import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { withTimeout } from '@rp/observability';
import { decisionJobId, FollowupJob, type DecisionJobData } from '../jobs/job-names';

const ADD_TIMEOUT_MS = 10_000;

/**
 * Moves a batch of undispatched decisions from the outbox to BullMQ, one job per row with a
 * deterministic id, and marks them dispatched only after Redis confirmed the batch. Rows are locked
 * with SKIP LOCKED so replicas share the work; a crash or timeout before the mark re-sends them, and
 * BullMQ ignores an id it still holds.
 */
export async function relayDecisions(ds: DataSource, queue: Queue, limit: number): Promise<number> {
  return ds.transaction(async (em) => {
    const rows = await em.query<{ id: string; dealer_id: string; dedup_key: string; payload: unknown }[]>(
      `SELECT id, dealer_id, dedup_key, payload FROM outbox
        WHERE kind = 'decision' AND dispatched_at IS NULL
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (rows.length === 0) return 0;
    await withTimeout(
      queue.addBulk(
        rows.map((r) => ({
          name: FollowupJob.Decision,
          data: {
            outboxId: String(r.id),
            dealerId: r.dealer_id,
            decisionId: r.dedup_key,
            decision: r.payload,
          } satisfies DecisionJobData,
          opts: { jobId: decisionJobId(r.dealer_id, r.dedup_key) },
        })),
      ),
      ADD_TIMEOUT_MS,
      'adding decision jobs to Redis',
    );
    await em.query('UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])', [
      rows.map((r) => r.id),
    ]);
    return rows.length;
  });
}

/**
 * Un-marks decisions dispatched more than `olderThanMs` ago and still not applied: Redis may have lost
 * their jobs (a restart without persistence). The relay sends them again; applying is idempotent.
 */
export async function reclaimUnapplied(ds: DataSource, olderThanMs: number): Promise<number> {
  const rows = await ds.query<{ id: string }[]>(
    `WITH reclaimed AS (
       UPDATE outbox SET dispatched_at = NULL
        WHERE kind = 'decision' AND applied_at IS NULL AND dispatched_at IS NOT NULL
          AND dispatched_at < now() - make_interval(secs => $1::double precision / 1000)
       RETURNING id)
     SELECT id FROM reclaimed`,
    [olderThanMs],
  );
  return rows.length;
}
