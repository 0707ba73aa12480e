import type { Admin } from 'kafkajs';

/** Every partition of `topics`, and whether it holds no message at all right now. */
export async function listPartitions(
  admin: Admin,
  topics: string[],
): Promise<{ topic: string; partition: number; empty: boolean }[]> {
  const out: { topic: string; partition: number; empty: boolean }[] = [];
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      out.push({ topic, partition: p.partition, empty: p.high === p.low });
    }
  }
  return out;
}
