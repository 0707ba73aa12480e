import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { TopicKind } from '@rp/contracts';
import type { Logger, Metrics } from '@rp/observability';
import { deadLetter, type Rejected } from './consumer/dead-letter';
import type { BatchContext } from './consumer/batch-consumer';
import { isTransient } from './consumer/transient';
import { parseBatch } from './ingest-batch';
import { applyEvents } from './projections/apply-events';
import type { IngestEvent } from './projections/ingest-event';
import { scheduleRisk, sweepDue, type RiskStepOptions } from './risk/risk-step';

export interface IngestHandlerDeps {
  ds: DataSource;
  /** Publishes rejected input to the DLQ; not needed when `rejectedSink` takes the rejections. */
  producer?: Producer;
  metrics: Metrics;
  logger?: Logger;
  /** Input topic name → which part of the contract it carries. */
  topicKinds: Record<string, TopicKind>;
  dlqTopicOf: (topic: string) => string;
  maxFutureSkewMs?: number;
  /** Detection: evaluations scheduled in the batch's transaction, due timers fired right after it in one of
   * their own (decisions, outbox, timers); off when absent. */
  risk?: RiskStepOptions;
  /** Wall clock of the edge (injectable for tests). */
  now?: () => Date;
  /**
   * Where rejected input goes. Default: the source topic's DLQ. A replay passes its own sink so that
   * nothing is published to live topics (it counts the rejections for its report instead).
   */
  rejectedSink?: (rejected: Rejected[], topic: string, partition: number) => Promise<void>;
}

/** kafkajs errors (e.g. the heartbeat of a member whose partition moved): the batch stops, uncommitted. */
const isKafkaError = (err: unknown): boolean =>
  typeof (err as { name?: unknown })?.name === 'string' &&
  (err as { name: string }).name.startsWith('KafkaJS');

/**
 * One batch: validate, apply the valid events in one transaction (processed keys + projections), then
 * dead-letter the invalid ones. Only a transient failure escapes (the consumer retries the batch).
 */
export function createIngestHandler(d: IngestHandlerDeps): (b: BatchContext) => Promise<void> {
  const now = d.now ?? (() => new Date());
  const events = d.metrics.counter('rp_ingest_events_total', 'Input events by topic and outcome', [
    'topic',
    'outcome',
  ]);
  const batchSeconds = d.metrics.histogram('rp_ingest_batch_seconds', 'Time to apply one batch', ['topic']);

  /** Per batch: the watermark its applied events ask a sweep up to (null: none due). */
  type Due = { at: number | null };
  const apply = (valid: IngestEvent[], b: BatchContext, due: Due) =>
    d.ds.transaction(async (em) => {
      const { applied } = await applyEvents(em, valid);
      await b.heartbeat(); // a long batch stays in the group (throws if a rebalance took the partition)
      if (d.risk) {
        const at = await scheduleRisk(em, d.risk, { ...b, valid, applied });
        if (at !== null) due.at = Math.max(due.at ?? at, at);
      }
      return applied.length;
    });

  /** The batch's events are committed: a failing sweep leaves its timers due (retried by the next one). */
  const sweep = async (b: BatchContext, { at }: Due) => {
    if (at === null || !d.risk) return;
    const risk = d.risk;
    try {
      await sweepDue(d.ds, risk, at, b.heartbeat);
    } catch (err) {
      if (isTransient(err) || isKafkaError(err)) throw err;
      d.logger?.error(
        { err: err instanceof Error ? err.message : String(err), topic: b.topic, partition: b.partition },
        'risk sweep failed; its timers stay due',
      );
    }
  };

  const applyIsolating = async (valid: IngestEvent[], rejected: Rejected[], b: BatchContext, due: Due) => {
    try {
      return await apply(valid, b, due);
    } catch (err) {
      if (isTransient(err) || isKafkaError(err)) throw err;
      d.logger?.error(
        { err: err instanceof Error ? err.message : String(err), topic: b.topic, partition: b.partition },
        'batch failed permanently; isolating',
      );
    }
    // A permanent database error on valid input (should not happen): find the culprit one event at a
    // time so its neighbours are still applied, and dead-letter it with the database's reason.
    let applied = 0;
    for (const e of valid) {
      await b.heartbeat();
      try {
        applied += await apply([e], b, due);
      } catch (err) {
        if (isTransient(err) || isKafkaError(err)) throw err;
        const message = b.messages.find((m) => m.offset === e.offset)!;
        rejected.push({
          message,
          code: 'PROJECTION_FAILED',
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return applied;
  };

  return async (b) => {
    const stop = batchSeconds.startTimer({ topic: b.topic });
    const kind = d.topicKinds[b.topic];
    if (!kind) throw new Error(`no contract kind configured for topic ${b.topic}`);
    const { valid, rejected } = parseBatch(b.messages, {
      topic: b.topic,
      partition: b.partition,
      kind,
      receivedAt: now(),
      maxFutureSkewMs: d.maxFutureSkewMs,
    });
    const due: Due = { at: null };
    const applied = valid.length ? await applyIsolating(valid, rejected, b, due) : 0;
    await sweep(b, due);
    if (rejected.length && d.rejectedSink) {
      await d.rejectedSink(rejected, b.topic, b.partition);
    } else if (rejected.length) {
      if (!d.producer) throw new Error('ingest handler: rejected input but neither a producer nor a sink');
      const failedAt = now();
      await d.producer.send({
        topic: d.dlqTopicOf(b.topic),
        acks: -1,
        messages: rejected.map((r) => deadLetter(r, b.topic, b.partition, failedAt)),
      });
    }
    events.inc({ topic: b.topic, outcome: 'applied' }, applied);
    events.inc(
      { topic: b.topic, outcome: 'duplicate' },
      valid.length - applied - rejected.filter((r) => r.code === 'PROJECTION_FAILED').length,
    );
    events.inc({ topic: b.topic, outcome: 'rejected' }, rejected.length);
    stop();
  };
}
