import type { Kafka } from 'kafkajs';
import { INGEST_FETCH } from '@rp/ingest';

export interface RunResult {
  count: number;
  /** From the first message seen to the last one counted. */
  seconds: number;
}

/**
 * The baseline: a plain kafkajs `eachBatch` consumer (same fetch sizes and partition concurrency as the
 * ingest consumer) that does nothing but count.
 */
export async function rawConsume(
  kafka: Kafka,
  o: {
    groupId: string;
    topics: string[];
    expected: number;
    concurrency: number;
    onProgress: (n: number) => void;
  },
): Promise<RunResult> {
  const consumer = kafka.consumer({
    groupId: o.groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    ...INGEST_FETCH,
  });
  let count = 0;
  let first = 0;
  let last = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const progress = setInterval(() => o.onProgress(count), 2_000);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: o.topics, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: o.concurrency,
      eachBatch: ({ batch }) => {
        if (first === 0) first = performance.now();
        count += batch.messages.length;
        if (count >= o.expected) {
          last = performance.now();
          done();
        }
        return Promise.resolve();
      },
    });
    await finished;
  } finally {
    clearInterval(progress);
    await consumer.disconnect();
  }
  return { count, seconds: (last - first) / 1000 };
}
