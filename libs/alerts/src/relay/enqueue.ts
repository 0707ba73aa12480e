import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { reclaimUnconfirmed, relayOutbox, type OutboxSource } from '@rp/queue';
import { AlertJob, alertJobId, type DeliverJobData } from '../jobs/job-names';

interface DispatchRow {
  dealer_id: string;
  delivery_id: string;
}

/**
 * Dispatch rows as BullMQ delivery jobs: sent = `enqueued_at`, confirmed = a status other than
 * `pending` (delivered, failed or cancelled by the job).
 */
export const dispatchOutbox: OutboxSource<DispatchRow> = {
  what: 'alert jobs',
  claim: (em, limit) =>
    em.query<DispatchRow[]>(
      `SELECT dealer_id, delivery_id FROM alert_dispatch
        WHERE enqueued_at IS NULL AND status = 'pending'
        ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    ),
  toJob: (r) => ({
    name: AlertJob.Deliver,
    data: { dealerId: r.dealer_id, deliveryId: r.delivery_id } satisfies DeliverJobData,
    jobId: alertJobId(r.delivery_id),
  }),
  jobId: (r) => alertJobId(r.delivery_id),
  markSent: async (em, rows) => {
    await em.query('UPDATE alert_dispatch SET enqueued_at = now() WHERE delivery_id = ANY($1::text[])', [
      rows.map((r) => r.delivery_id),
    ]);
  },
  unmarkSent: async (em, rows) => {
    await em.query('UPDATE alert_dispatch SET enqueued_at = NULL WHERE delivery_id = ANY($1::text[])', [
      rows.map((r) => r.delivery_id),
    ]);
  },
  // Walks the partial index of pending enqueued rows in enqueued_at order.
  claimUnconfirmed: (em, olderThanMs, limit) =>
    em.query<DispatchRow[]>(
      `SELECT dealer_id, delivery_id FROM alert_dispatch
        WHERE status = 'pending' AND enqueued_at IS NOT NULL
          AND enqueued_at < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY enqueued_at, delivery_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [olderThanMs, limit],
    ),
};

/** Moves a batch of dispatch rows to BullMQ (see relayOutbox); returns the rows enqueued. */
export function enqueueDispatches(ds: DataSource, queue: Queue, limit: number): Promise<number> {
  return relayOutbox(ds, queue, dispatchOutbox, limit);
}

/**
 * One page of recovery for deliveries enqueued more than `olderThanMs` ago and still pending (see
 * reclaimUnconfirmed): those whose job Redis lost are enqueued again. Returns how many were.
 */
export async function reclaimPending(
  ds: DataSource,
  queue: Queue,
  olderThanMs: number,
  page?: number,
): Promise<number> {
  return (await reclaimUnconfirmed(ds, queue, dispatchOutbox, olderThanMs, page)).resent;
}
