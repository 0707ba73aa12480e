import type { Kafka, KafkaMessage } from 'kafkajs';
import { uniqueSuffix } from './test-config';

export interface ReadMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Every message kafkajs hands a fresh consumer group reading `topics` from the beginning, until `expected`
 * arrived, then `settleMs` more (anything beyond `expected`, e.g. a duplicate append, would show up then).
 * A group may hand a message out twice: callers that need each once key them by topic, partition and offset.
 */
export async function readFromBeginning(
  kafka: Kafka,
  topics: string[],
  expected: number,
  opts: { groupId?: string; settleMs?: number } = {},
): Promise<ReadMessage[]> {
  const got: ReadMessage[] = [];
  const consumer = kafka.consumer({ groupId: opts.groupId ?? `read-all-${uniqueSuffix()}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    // eslint-disable-next-line @typescript-eslint/require-await -- kafkajs wants a promise-returning handler
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages)
        got.push({ topic: batch.topic, partition: batch.partition, message });
      if (got.length >= expected) done();
    },
  });
  await finished;
  if (opts.settleMs) await new Promise((r) => setTimeout(r, opts.settleMs));
  await consumer.disconnect();
  return got;
}
