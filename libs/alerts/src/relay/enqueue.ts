import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { withTimeout } from '@rp/observability';
import { AlertJob, alertJobId, type DeliverJobData } from '../jobs/job-names';

const ADD_TIMEOUT_MS = 10_000;

/**
 * Moves a batch of dispatch rows to BullMQ, one job per delivery with a deterministic id, and marks
 * them enqueued only after Redis confirmed. A crash before the mark re-sends them; BullMQ ignores an
 * id it still holds.
 */
export async function enqueueDispatches(ds: DataSource, queue: Queue, limit: number): Promise<number> {
  return ds.transaction(async (em) => {
    const rows = await em.query<{ dealer_id: string; delivery_id: string }[]>(
      `SELECT dealer_id, delivery_id FROM alert_dispatch
        WHERE enqueued_at IS NULL AND status = 'pending'
        ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (rows.length === 0) return 0;
    await withTimeout(
      queue.addBulk(
        rows.map((r) => ({
          name: AlertJob.Deliver,
          data: { dealerId: r.dealer_id, deliveryId: r.delivery_id } satisfies DeliverJobData,
          opts: { jobId: alertJobId(r.delivery_id) },
        })),
      ),
      ADD_TIMEOUT_MS,
      'adding alert jobs to Redis',
    );
    await em.query('UPDATE alert_dispatch SET enqueued_at = now() WHERE delivery_id = ANY($1::text[])', [
      rows.map((r) => r.delivery_id),
    ]);
    return rows.length;
  });
}

/**
 * Un-marks deliveries enqueued more than `olderThanMs` ago and still pending: Redis may have lost
 * their jobs. Re-adding is harmless while BullMQ still holds the id (a job still retrying).
 */
export async function reclaimPending(ds: DataSource, olderThanMs: number): Promise<number> {
  const rows = await ds.query<{ delivery_id: string }[]>(
    `WITH reclaimed AS (
       UPDATE alert_dispatch SET enqueued_at = NULL
        WHERE status = 'pending' AND enqueued_at IS NOT NULL
          AND enqueued_at < now() - make_interval(secs => $1::double precision / 1000)
       RETURNING delivery_id)
     SELECT delivery_id FROM reclaimed`,
    [olderThanMs],
  );
  return rows.length;
}
