import { Partitioners, type Message, type Producer, type ProducerConfig } from 'kafkajs';
import { SIM_TOPICS, type SimRecord, type SimTopic, type TopicCounts } from '../records';
import { eventJson } from './ndjson';

/**
 * How a simulation producer is created: no topic auto-creation (input topics need the retention the `topics`
 * command sets up); the default (Java-compatible) partitioner, so a serial lands on the partition other
 * producers put it on; idempotent, so a send retried after a lost acknowledgement is not written twice
 * (kafkajs then also sends one request at a time per broker, keeping each partition in send order).
 */
export const SIMULATION_PRODUCER: ProducerConfig = {
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
  idempotent: true,
};

export interface ProduceSimulationOptions {
  /** Messages per `sendBatch` (all topics together); default 1000. */
  batchSize?: number;
  /**
   * Sends awaiting acknowledgement at once; default 1. With SIMULATION_PRODUCER kafkajs still puts one request
   * at a time on the wire per broker; with a producer that is not idempotent more are faster, but Kafka may
   * append them in another order (a partition's events then arrive out of event-time order, beyond any
   * allowed lateness) and a retried send may be written twice.
   */
  maxInFlight?: number;
  /** Called after each acknowledged send with the running totals. */
  onProgress?: (acknowledged: TopicCounts) => void;
}

/**
 * Sends records to the topics named per kind, in batches with a few sends in flight, `acks: -1`.
 * Each message has the record's key, the event JSON as value and `occurredAt` as its Kafka timestamp.
 * Records are read lazily, so a generator of millions of events streams through. Returns the
 * acknowledged count per topic kind; the first failed send rejects once the in-flight sends settle.
 */
export async function produceSimulation(
  producer: Producer,
  records: Iterable<SimRecord>,
  topics: Record<SimTopic, string>,
  opts: ProduceSimulationOptions = {},
): Promise<TopicCounts> {
  const batchSize = opts.batchSize ?? 1000;
  const maxInFlight = opts.maxInFlight ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
    throw new RangeError('maxInFlight must be a positive integer');

  const acknowledged: TopicCounts = { telematics: 0, warranty: 0, service: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let batch = emptyBatch();
  let size = 0;

  const send = async (): Promise<void> => {
    const sending = batch;
    batch = emptyBatch();
    size = 0;
    const topicMessages = SIM_TOPICS.filter((k) => sending[k].length > 0).map((k) => ({
      topic: topics[k],
      messages: sending[k],
    }));
    const sent: Promise<void> = producer.sendBatch({ acks: -1, topicMessages }).then(
      () => {
        for (const k of SIM_TOPICS) acknowledged[k] += sending[k].length;
        opts.onProgress?.({ ...acknowledged });
      },
      (error: unknown) => {
        failure ??= { error };
      },
    );
    const tracked = sent.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (failure) throw failure.error;
  };

  try {
    for (const record of records) {
      batch[record.topic].push({
        key: record.key,
        value: eventJson(record.event),
        timestamp: String(Date.parse(record.event.occurredAt)),
      });
      if (++size >= batchSize) await send();
    }
    if (size > 0) await send();
  } finally {
    await Promise.allSettled(inFlight);
  }
  if (failure) throw failure.error;
  return acknowledged;
}

function emptyBatch(): Record<SimTopic, Message[]> {
  return { telematics: [], warranty: [], service: [] };
}
