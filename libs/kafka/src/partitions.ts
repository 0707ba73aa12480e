import type { Admin } from 'kafkajs';

export interface PartitionState {
  topic: string;
  partition: number;
  /** No message at all right now. */
  empty: boolean;
  /**
   * The group (when one is given) has committed the partition up to its log end: nothing left for it to
   * read (e.g. the stream was consumed before detection was switched on). True when empty.
   */
  readByGroup: boolean;
}

/** Every partition of `topics`, whether it holds no message at all, and whether `groupId` has read all of it. */
export async function listPartitions(
  admin: Admin,
  topics: string[],
  groupId?: string,
): Promise<PartitionState[]> {
  const committed = groupId === undefined ? [] : await admin.fetchOffsets({ groupId, topics });
  const out: PartitionState[] = [];
  for (const topic of topics) {
    const mine = committed.find((t) => t.topic === topic)?.partitions ?? [];
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const empty = p.high === p.low;
      const at = BigInt(mine.find((x) => x.partition === p.partition)?.offset ?? '-1'); // -1: none committed
      out.push({
        topic,
        partition: p.partition,
        empty,
        readByGroup: empty || (at >= 0n && at >= BigInt(p.high)),
      });
    }
  }
  return out;
}
