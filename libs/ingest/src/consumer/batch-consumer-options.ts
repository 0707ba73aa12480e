import type { Logger, Metrics } from '@rp/observability';
import type { RawMessage } from './dead-letter';

export interface BatchContext {
  topic: string;
  partition: number;
  messages: RawMessage[];
  /** The batch reaches the partition's end: nothing more to read right now. */
  caughtUp: boolean;
  /** Keeps the member in the group during a long batch; throws when a rebalance took the partition. */
  heartbeat: () => Promise<void>;
}

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  partitionsConcurrently?: number;
  handle: (batch: BatchContext) => Promise<void>;
  logger: Logger;
  /** Called when the consumer stopped for good (kafkajs will not restart it). */
  onFatal?: (err: Error) => void;
  /**
   * A bounded read (replay): exclusive end offset per `topic:partition`. Messages at or past it are not
   * handled, the partition counts as caught up there and is paused, and `onProgress` reports it done.
   */
  endOffsets?: Record<string, string>;
  /** Positions to start from, applied once when the consumer starts (a new replay; not a resumed one). */
  seekTo?: { topic: string; partition: number; offset: string }[];
  /** After each committed batch: the partition's next offset, and whether it reached its end offset. */
  onProgress?: (p: {
    topic: string;
    partition: number;
    next: string;
    handled: number;
    done: boolean;
  }) => void;
  /**
   * Longest the consumer may stay `joining` (starting, or restarted by kafkajs after a crash) without
   * joining its group before `problem()` reports it stuck (default MAX_JOINING_MS).
   */
  maxJoiningMs?: number;
  /** The clock `problem()` measures `maxJoiningMs` and batch retries with (default Date.now). */
  now?: () => number;
  /**
   * A batch retried in place (transient failures) for longer than this, or `maxRetryAttempts` failed
   * attempts, makes `problem()` report it stalled (defaults MAX_RETRY_MS, MAX_RETRY_ATTEMPTS); a failure
   * only an operator cures (privileges, schema) at once. It is still retried, never skipped.
   */
  maxRetryMs?: number;
  maxRetryAttempts?: number;
  /**
   * Exports rp_ingest_batch_retries_total{topic,kind}, rp_ingest_last_commit_timestamp_seconds and
   * rp_ingest_consumer_lag{topic,partition}; none when absent (e.g. a replay).
   */
  metrics?: Metrics;
  /**
   * The consumer reached a partition's end through records it never hands to `handle`: a fetch holding only
   * a transaction's commit/abort marker or aborted records (kafkajs filters them and calls no eachBatch).
   * The consumer commits the offset past them itself; this tells the caller the partition is caught up.
   */
  onCaughtUp?: (topic: string, partition: number) => Promise<void>;
}

/** kafkajs' END_BATCH_PROCESS payload (the fields used here). */
export interface EndBatch {
  topic: string;
  partition: number;
  highWatermark: string;
  /** Messages handed over: 0 when every record fetched was filtered (control records, aborted data). */
  batchSize: number;
  /** Last offset fetched, filtered records (control, aborted) included. */
  lastOffset: string;
}
