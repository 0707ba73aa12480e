import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { dlqTopic, type AppConfig } from '@rp/config';
import type { TopicKind } from '@rp/contracts';
import { BatchConsumer, createIngestHandler, type RiskStepOptions } from '@rp/ingest';
import { Metrics, type Logger } from '@rp/observability';
import type { PartitionRange } from '../plan/plan';
import type { ProgressSink } from './progress';
import { recordRejections } from './run-store';

/** A partition's range and where reading continues in it. */
export type Position = PartitionRange & { at: bigint };

export interface ReadSegment {
  groupId: string;
  topics: string[];
  positions: Position[];
  /** Detection with this rule set in the batch transaction; projections only when absent. */
  risk?: RiskStepOptions;
}

export interface ReadHandle {
  /** Resolves with the events handled when every partition reached its end, or the read was stopped. */
  done: Promise<number>;
  stop: () => Promise<void>;
  stopped: () => boolean;
}

const key = (topic: string, partition: number) => `${topic}:${partition}`;

/**
 * Reads bounded ranges through the live ingest handler into `ds` (its own schema) in its own consumer
 * group: rejected input is recorded in the schema (never dead-lettered), nothing is published.
 */
export async function readRanges(
  env: { config: AppConfig; kafka: Kafka; logger: Logger; progress: ProgressSink },
  ds: DataSource,
  seg: ReadSegment,
): Promise<ReadHandle> {
  const { config, logger, progress } = env;
  const { positions } = seg;
  const total = positions.reduce((s, r) => s + Number(BigInt(r.end) - BigInt(r.start)), 0);
  const doneBefore = positions.reduce((s, r) => s + Number(r.at - BigInt(r.start)), 0);
  const startOf = new Map(positions.map((r) => [key(r.topic, r.partition), BigInt(r.start)]));
  const next = new Map(positions.map((r) => [key(r.topic, r.partition), r.at]));
  const pending = new Set(
    positions.filter((r) => r.at < BigInt(r.end)).map((r) => key(r.topic, r.partition)),
  );
  const done = () => [...next].reduce((s, [k, at]) => s + Number(at - startOf.get(k)!), 0);
  progress.start(total, doneBefore);
  let stopped = false;
  if (pending.size === 0) {
    progress.stop();
    return { done: Promise.resolve(0), stop: () => Promise.resolve(), stopped: () => false };
  }
  const t = config.topics;
  const kinds: Record<string, TopicKind> = {
    [t.telematics]: 'telematics',
    [t.warranty]: 'warranty',
    [t.service]: 'service',
  };
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const consumer = new BatchConsumer(env.kafka, {
    groupId: seg.groupId,
    topics: seg.topics,
    fromBeginning: true,
    partitionsConcurrently: config.ingest.concurrency,
    logger,
    handle: createIngestHandler({
      ds,
      metrics: new Metrics(false),
      logger,
      topicKinds: kinds,
      dlqTopicOf: dlqTopic,
      maxFutureSkewMs: config.ingest.maxFutureSkewMs,
      risk: seg.risk,
      rejectedSink: (rejected, topic, partition) =>
        recordRejections(
          ds,
          topic,
          partition,
          rejected.map((r) => ({ offset: r.message.offset, code: r.code })),
        ),
    }),
    endOffsets: Object.fromEntries(positions.map((r) => [key(r.topic, r.partition), r.end])),
    seekTo: positions
      .filter((r) => r.at < BigInt(r.end))
      .map((r) => ({ topic: r.topic, partition: r.partition, offset: r.at.toString() })),
    onProgress: (p) => {
      next.set(key(p.topic, p.partition), BigInt(p.next));
      progress.update(done());
      if (p.done) pending.delete(key(p.topic, p.partition));
      if (pending.size === 0) finish();
    },
    onFatal: (err) => {
      logger.error({ err: err.message }, 'replay consumer crashed; run the command again to resume');
      stopped = true;
      finish();
    },
  });
  await consumer.start();
  const stop = async () => {
    stopped = true;
    await consumer.stop();
    finish();
  };
  return {
    done: finished.then(async () => {
      await consumer.stop();
      progress.update(done());
      progress.stop();
      return done() - doneBefore;
    }),
    stop,
    stopped: () => stopped,
  };
}
