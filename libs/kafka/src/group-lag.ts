import type { Admin } from 'kafkajs';

/** True when `groupId` has committed every partition of `topics` up to the log's end (nothing left to read). */
export async function groupReadAll(admin: Admin, groupId: string, topics: string[]): Promise<boolean> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  for (const topic of topics) {
    const mine = committed.find((t) => t.topic === topic)?.partitions ?? [];
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const c = mine.find((x) => x.partition === p.partition)?.offset ?? '-1';
      const at = BigInt(c) < 0n ? BigInt(p.low) : BigInt(c);
      if (at < BigInt(p.high)) return false;
    }
  }
  return true;
}
