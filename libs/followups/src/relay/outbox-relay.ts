import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { reclaimUnconfirmed, relayOutboxPass, type OutboxSource, type RelayPass } from '@rp/queue';
import { SUPPRESSION_JOB, suppressionJobId, type SuppressionJobData } from '../jobs/apply-suppression';
import { decisionJobId, FollowupJob, type DecisionJobData } from '../jobs/job-names';

interface OutboxRow {
  id: string;
  dealer_id: string;
  kind: 'decision' | 'suppression';
  dedup_key: string;
  payload: unknown;
}

/** The outbox kinds the followups queue works on: decisions (tasks) and suppressions (tasks made moot). */
const KINDS = `kind IN ('decision', 'suppression')`;

/**
 * Decisions and suppressions of the outbox as BullMQ jobs, in outbox order: sent = `dispatched_at`,
 * confirmed = `applied_at` (set by the job in the transaction that applies the row). Any other kind
 * (outcomes, escalations) is never touched.
 */
export const followupsOutbox: OutboxSource<OutboxRow> = {
  what: 'decision and suppression jobs',
  claim: (em, limit) =>
    em.query<OutboxRow[]>(
      `SELECT id, dealer_id, kind, dedup_key, payload FROM outbox
        WHERE ${KINDS} AND dispatched_at IS NULL
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    ),
  toJob: (r) =>
    r.kind === 'suppression'
      ? {
          name: SUPPRESSION_JOB,
          data: {
            outboxId: String(r.id),
            dealerId: r.dealer_id,
            suppressionId: r.dedup_key,
            suppression: r.payload,
          } satisfies SuppressionJobData,
          jobId: suppressionJobId(r.dealer_id, r.dedup_key),
        }
      : {
          name: FollowupJob.Decision,
          data: {
            outboxId: String(r.id),
            dealerId: r.dealer_id,
            decisionId: r.dedup_key,
            decision: r.payload,
          } satisfies DecisionJobData,
          jobId: decisionJobId(r.dealer_id, r.dedup_key),
        },
  markSent: async (em, rows) => {
    await em.query('UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])', [
      rows.map((r) => r.id),
    ]);
  },
  waiting: async (em) =>
    (
      await em.query<{ waiting: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM outbox WHERE ${KINDS} AND dispatched_at IS NULL) AS waiting`,
      )
    )[0].waiting,
  // One branch per kind, so each uses its partial index of unapplied rows. A CTE, so the driver returns
  // the rows (a bare UPDATE … RETURNING comes back as [rows, count]).
  unmarkUnconfirmed: (em, olderThanMs) =>
    em.query<OutboxRow[]>(
      `WITH stale AS (
         SELECT id FROM outbox WHERE kind = 'decision' AND applied_at IS NULL AND dispatched_at IS NOT NULL
            AND dispatched_at < now() - make_interval(secs => $1::double precision / 1000)
         UNION ALL
         SELECT id FROM outbox WHERE kind = 'suppression' AND applied_at IS NULL AND dispatched_at IS NOT NULL
            AND dispatched_at < now() - make_interval(secs => $1::double precision / 1000)),
       reclaimed AS (
         UPDATE outbox SET dispatched_at = NULL WHERE id IN (SELECT id FROM stale)
         RETURNING id, dealer_id, kind, dedup_key, payload)
       SELECT * FROM reclaimed`,
      [olderThanMs],
    ),
};

/**
 * Moves a batch of undispatched decisions and suppressions to BullMQ (see relayOutboxPass): the rows sent,
 * and whether rows locked by another outbox consumer are still waiting.
 */
export function relayDecisions(ds: DataSource, queue: Queue, limit: number): Promise<RelayPass> {
  return relayOutboxPass(ds, queue, followupsOutbox, limit);
}

/**
 * Sends again decisions and suppressions dispatched more than `olderThanMs` ago and still not applied:
 * Redis may have lost their jobs. Applying either is idempotent.
 */
export function reclaimUnapplied(ds: DataSource, queue: Queue, olderThanMs: number): Promise<number> {
  return reclaimUnconfirmed(ds, queue, followupsOutbox, olderThanMs);
}
