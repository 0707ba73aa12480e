import type { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { withTimeout } from '@rp/observability';
import { clearForResend, toBulkJob, type IdentifiedJob } from './dead-jobs';

const REDIS_TIMEOUT_MS = 10_000;

/**
 * The Postgres side of an outbox → BullMQ relay: which rows wait, the job each becomes (deterministic
 * id), how rows are marked sent, and how sent rows whose work was never confirmed are un-marked.
 */
export interface OutboxSource<R> {
  /** What the jobs are, for timeout messages ("decision jobs"). */
  what: string;
  /** Up to `limit` unsent rows, locked FOR UPDATE SKIP LOCKED so replicas share the work. */
  claim: (em: EntityManager, limit: number) => Promise<R[]>;
  toJob: (row: R) => IdentifiedJob;
  markSent: (em: EntityManager, rows: R[]) => Promise<void>;
  /** Un-marks rows sent more than `olderThanMs` ago whose work is still unconfirmed; returns them. */
  unmarkUnconfirmed: (em: EntityManager, olderThanMs: number) => Promise<R[]>;
  /**
   * Whether unsent rows are still waiting once this pass marked its own: rows another transaction had locked
   * (e.g. the Kafka publisher or the alerts fan-out, which lock the same outbox rows for their own columns),
   * skipped by SKIP LOCKED. Their commit sends no new notification, so the relay must look again soon.
   */
  waiting?: (em: EntityManager) => Promise<boolean>;
}

/** What a relay pass did: rows sent, and whether rows it could not lock are still waiting. */
export interface RelayPass {
  sent: number;
  waiting: boolean;
}

/**
 * Moves one batch of unsent rows to BullMQ and marks them sent only after Redis confirmed the batch.
 * A crash or timeout before the mark re-sends them, and BullMQ ignores an id it still holds.
 */
export async function relayOutbox<R>(
  ds: DataSource,
  queue: Queue,
  source: OutboxSource<R>,
  limit: number,
): Promise<number> {
  return (await relayOutboxPass(ds, queue, source, limit)).sent;
}

/** relayOutbox, also telling whether rows locked by someone else are still waiting (see OutboxSource.waiting). */
export async function relayOutboxPass<R>(
  ds: DataSource,
  queue: Queue,
  source: OutboxSource<R>,
  limit: number,
): Promise<RelayPass> {
  return ds.transaction(async (em) => {
    const rows = await source.claim(em, limit);
    if (rows.length > 0) {
      await withTimeout(
        queue.addBulk(rows.map((r) => toBulkJob(source.toJob(r)))),
        REDIS_TIMEOUT_MS,
        `adding ${source.what} to Redis`,
      );
      await source.markSent(em, rows);
    }
    // A full batch runs the next pass at once anyway.
    const waiting = rows.length < limit && source.waiting ? await source.waiting(em) : false;
    return { sent: rows.length, waiting };
  });
}

/**
 * Makes rows sent long ago and still unconfirmed due again: Redis may have lost their jobs (a restart
 * without persistence), kept a dead hash of them that would swallow the re-send, or hold them failed
 * after every attempt hit a transient error (Postgres down longer than the back-off). Dead hashes are
 * removed and exhausted jobs retried (see clearForResend) before the rows are released to the relay;
 * a job that failed for good (UnrecoverableError) stays failed. Processing is idempotent, so a re-send
 * is harmless. Returns the rows released.
 */
export async function reclaimUnconfirmed<R>(
  ds: DataSource,
  queue: Queue,
  source: OutboxSource<R>,
  olderThanMs: number,
): Promise<number> {
  return ds.transaction(async (em) => {
    const rows = await source.unmarkUnconfirmed(em, olderThanMs);
    if (rows.length === 0) return 0;
    await withTimeout(
      clearForResend(
        queue,
        rows.map((r) => source.toJob(r).jobId),
      ),
      REDIS_TIMEOUT_MS,
      `clearing dead or exhausted ${source.what} in Redis`,
    );
    return rows.length;
  });
}
