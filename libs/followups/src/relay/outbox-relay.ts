import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { reclaimUnconfirmed, relayOutboxPass, type OutboxSource, type RelayPass } from '@rp/queue';
import { decisionJobId, FollowupJob, type DecisionJobData } from '../jobs/job-names';

interface DecisionRow {
  id: string;
  dealer_id: string;
  dedup_key: string;
  payload: unknown;
}

/**
 * Decisions of the outbox as BullMQ jobs: sent = `dispatched_at`, confirmed = `applied_at` (set by the
 * job in the transaction that applies the decision).
 */
export const decisionOutbox: OutboxSource<DecisionRow> = {
  what: 'decision jobs',
  claim: (em, limit) =>
    em.query<DecisionRow[]>(
      `SELECT id, dealer_id, dedup_key, payload FROM outbox
        WHERE kind = 'decision' AND dispatched_at IS NULL
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    ),
  toJob: (r) => ({
    name: FollowupJob.Decision,
    data: {
      outboxId: String(r.id),
      dealerId: r.dealer_id,
      decisionId: r.dedup_key,
      decision: r.payload,
    } satisfies DecisionJobData,
    jobId: decisionJobId(r.dealer_id, r.dedup_key),
  }),
  markSent: async (em, rows) => {
    await em.query('UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])', [
      rows.map((r) => r.id),
    ]);
  },
  waiting: async (em) =>
    (
      await em.query<{ waiting: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = 'decision' AND dispatched_at IS NULL) AS waiting`,
      )
    )[0].waiting,
  // A CTE, so the driver returns the rows (a bare UPDATE … RETURNING comes back as [rows, count]).
  unmarkUnconfirmed: (em, olderThanMs) =>
    em.query<DecisionRow[]>(
      `WITH reclaimed AS (
         UPDATE outbox SET dispatched_at = NULL
          WHERE kind = 'decision' AND applied_at IS NULL AND dispatched_at IS NOT NULL
            AND dispatched_at < now() - make_interval(secs => $1::double precision / 1000)
         RETURNING id, dealer_id, dedup_key, payload)
       SELECT * FROM reclaimed`,
      [olderThanMs],
    ),
};

/**
 * Moves a batch of undispatched decisions to BullMQ (see relayOutboxPass): the rows sent, and whether
 * decisions locked by another outbox consumer are still waiting.
 */
export function relayDecisions(ds: DataSource, queue: Queue, limit: number): Promise<RelayPass> {
  return relayOutboxPass(ds, queue, decisionOutbox, limit);
}

/**
 * Sends again decisions dispatched more than `olderThanMs` ago and still not applied: Redis may have
 * lost their jobs. Applying is idempotent.
 */
export function reclaimUnapplied(ds: DataSource, queue: Queue, olderThanMs: number): Promise<number> {
  return reclaimUnconfirmed(ds, queue, decisionOutbox, olderThanMs);
}
