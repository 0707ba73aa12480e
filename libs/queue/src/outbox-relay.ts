import type { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { withTimeout } from '@rp/observability';
import { settleForResend, toBulkJob, type IdentifiedJob } from './dead-jobs';

const REDIS_TIMEOUT_MS = 10_000;

/** Rows a recovery pass looks at, at most: its memory, time and row locks do not grow with the backlog. */
export const RECLAIM_PAGE = 1000;

/**
 * The Postgres side of an outbox → BullMQ relay: which rows wait, the job each becomes (deterministic
 * id), how rows are marked sent, and which sent rows are still unconfirmed. `R` is a row to send, `K` the
 * part of it that names its job (what the recovery pass reads: no payload).
 */
export interface OutboxSource<R extends K, K = R> {
  /** What the jobs are, for timeout messages ("decision jobs"). */
  what: string;
  /** Up to `limit` unsent rows, locked FOR UPDATE SKIP LOCKED so replicas share the work. */
  claim: (em: EntityManager, limit: number) => Promise<R[]>;
  toJob: (row: R) => IdentifiedJob;
  /** The id of the row's job (the same as toJob's). */
  jobId: (key: K) => string;
  /** Marks rows sent now. */
  markSent: (em: EntityManager, rows: K[]) => Promise<void>;
  /** Marks rows unsent, so that the relay sends them again. */
  unmarkSent: (em: EntityManager, rows: K[]) => Promise<void>;
  /**
   * Up to `limit` rows sent more than `olderThanMs` ago whose work is still unconfirmed, longest unchecked
   * first, locked FOR UPDATE SKIP LOCKED.
   */
  claimUnconfirmed: (em: EntityManager, olderThanMs: number, limit: number) => Promise<K[]>;
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
export async function relayOutbox<R extends K, K>(
  ds: DataSource,
  queue: Queue,
  source: OutboxSource<R, K>,
  limit: number,
): Promise<number> {
  return (await relayOutboxPass(ds, queue, source, limit)).sent;
}

/** relayOutbox, also telling whether rows locked by someone else are still waiting (see OutboxSource.waiting). */
export async function relayOutboxPass<R extends K, K>(
  ds: DataSource,
  queue: Queue,
  source: OutboxSource<R, K>,
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

/** What a recovery pass did: rows it looked at (a full page: more may be due), and rows it sent again. */
export interface Reclaimed {
  checked: number;
  resent: number;
}

/**
 * One page of recovery: rows sent long ago and still unconfirmed whose job Redis lost (a restart without
 * persistence), holds as a dead hash that would swallow a re-send, or holds failed after every attempt hit a
 * transient error (Postgres down longer than the back-off). Dead hashes are removed and exhausted jobs retried
 * (see settleForResend); rows whose job is missing or was removed are un-marked, so the relay sends them again.
 * A job still waiting, active, delayed or completed is not lost, and one that failed for good
 * (UnrecoverableError) stays failed: their rows are only marked sent now, so the next pages move on to other
 * rows and they are looked at again after `olderThanMs`. Looks at `page` rows at most (oldest mark first),
 * reading no payload. Processing is idempotent, so a re-send is harmless.
 */
export async function reclaimUnconfirmed<R extends K, K>(
  ds: DataSource,
  queue: Queue,
  source: OutboxSource<R, K>,
  olderThanMs: number,
  page = RECLAIM_PAGE,
): Promise<Reclaimed> {
  if (!Number.isInteger(page) || page < 1)
    throw new Error(`reclaim page must be a positive integer, got ${page}`);
  return ds.transaction(async (em) => {
    const rows = await source.claimUnconfirmed(em, olderThanMs, page);
    if (rows.length === 0) return { checked: 0, resent: 0 };
    const fates = await withTimeout(
      settleForResend(
        queue,
        rows.map((r) => source.jobId(r)),
      ),
      REDIS_TIMEOUT_MS,
      `looking up unconfirmed ${source.what} in Redis`,
    );
    const lost = rows.filter((_, i) => fates[i] === 'missing' || fates[i] === 'removed');
    const held = rows.filter((_, i) => fates[i] === 'retried' || fates[i] === 'kept');
    if (lost.length > 0) await source.unmarkSent(em, lost);
    if (held.length > 0) await source.markSent(em, held);
    return { checked: rows.length, resent: lost.length + fates.filter((f) => f === 'retried').length };
  });
}
