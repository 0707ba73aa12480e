import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { reclaimUnconfirmed, relayOutboxPass, type OutboxSource, type RelayPass } from '@rp/queue';
import { SUPPRESSION_JOB, suppressionJobId, type SuppressionJobData } from '../jobs/apply-suppression';
import { decisionJobId, FollowupJob, type DecisionJobData } from '../jobs/job-names';

/** What names a row's job. */
interface OutboxKey {
  id: string;
  dealer_id: string;
  kind: 'decision' | 'suppression';
  dedup_key: string;
}

interface OutboxRow extends OutboxKey {
  payload: unknown;
}

const jobIdOf = (k: OutboxKey): string =>
  k.kind === 'suppression'
    ? suppressionJobId(k.dealer_id, k.dedup_key)
    : decisionJobId(k.dealer_id, k.dedup_key);

/** The outbox kinds the followups queue works on: decisions (tasks) and suppressions (tasks made moot). */
const KINDS = `kind IN ('decision', 'suppression')`;

/**
 * Decisions and suppressions of the outbox as BullMQ jobs, in outbox order: sent = `dispatched_at`,
 * confirmed = `applied_at` (set by the job in the transaction that applies the row). Any other kind
 * (outcomes, escalations) is never touched.
 */
export const followupsOutbox: OutboxSource<OutboxRow, OutboxKey> = {
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
          jobId: jobIdOf(r),
        }
      : {
          name: FollowupJob.Decision,
          data: {
            outboxId: String(r.id),
            dealerId: r.dealer_id,
            decisionId: r.dedup_key,
            decision: r.payload,
          } satisfies DecisionJobData,
          jobId: jobIdOf(r),
        },
  jobId: jobIdOf,
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
  unmarkSent: async (em, rows) => {
    await em.query('UPDATE outbox SET dispatched_at = NULL WHERE id = ANY($1::bigint[])', [
      rows.map((r) => r.id),
    ]);
  },
  // One branch per kind, each reading its partial index of unapplied rows in dispatched_at order; the rows are
  // locked (and re-checked: a job may have applied one meanwhile) once the page is chosen.
  claimUnconfirmed: (em, olderThanMs, limit) =>
    em.query<OutboxKey[]>(
      `WITH page AS (
         (SELECT id, dispatched_at FROM outbox
           WHERE kind = 'decision' AND applied_at IS NULL AND dispatched_at IS NOT NULL
             AND dispatched_at < now() - make_interval(secs => $1::double precision / 1000)
           ORDER BY dispatched_at, id LIMIT $2)
         UNION ALL
         (SELECT id, dispatched_at FROM outbox
           WHERE kind = 'suppression' AND applied_at IS NULL AND dispatched_at IS NOT NULL
             AND dispatched_at < now() - make_interval(secs => $1::double precision / 1000)
           ORDER BY dispatched_at, id LIMIT $2)
         ORDER BY dispatched_at, id LIMIT $2)
       SELECT o.id, o.dealer_id, o.kind, o.dedup_key FROM outbox o JOIN page p ON p.id = o.id
        WHERE o.applied_at IS NULL AND o.dispatched_at = p.dispatched_at
        ORDER BY o.id FOR UPDATE OF o SKIP LOCKED`,
      [olderThanMs, limit],
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
 * One page of recovery for decisions and suppressions dispatched more than `olderThanMs` ago and still not
 * applied (see reclaimUnconfirmed): those whose job Redis lost are sent again. Returns how many were.
 * Applying either is idempotent.
 */
export async function reclaimUnapplied(
  ds: DataSource,
  queue: Queue,
  olderThanMs: number,
  page?: number,
): Promise<number> {
  return (await reclaimUnconfirmed(ds, queue, followupsOutbox, olderThanMs, page)).resent;
}
