import type { Metrics } from '@rp/observability';
import type { RetryKind } from './batch-retries';

/** What the consumer exports: labels are topics, partitions and kinds only (bounded; no ids). */
export interface ConsumerMetrics {
  retried(topic: string, kind: RetryKind): void;
  /** The partition's offset `next` was committed; `highWatermark` as of the fetch that brought the batch. */
  committed(topic: string, partition: number, next: string, highWatermark: string, nowMs: number): void;
}

/** Per batch: one counter or two gauge updates (no broker round-trip: the fetch carries the high watermark). */
export function consumerMetrics(m: Metrics): ConsumerMetrics {
  const retries = m.counter(
    'rp_ingest_batch_retries_total',
    'Failed attempts of an ingest batch that is retried (never skipped), by kind: transient, misconfiguration, crash',
    ['topic', 'kind'],
  );
  const lastCommit = m.gauge(
    'rp_ingest_last_commit_timestamp_seconds',
    'When the ingest consumer last committed an offset of the partition (unix seconds)',
    ['topic', 'partition'],
  );
  const lag = m.gauge(
    'rp_ingest_consumer_lag',
    "Messages behind the partition's end at the last commit (high watermark - committed offset)",
    ['topic', 'partition'],
  );
  return {
    retried: (topic, kind) => retries.inc({ topic, kind }),
    committed: (topic, partition, next, highWatermark, nowMs) => {
      const labels = { topic, partition: String(partition) };
      lastCommit.set(labels, nowMs / 1000);
      const behind = Number(highWatermark) - Number(next);
      lag.set(labels, behind > 0 ? behind : 0);
    },
  };
}
