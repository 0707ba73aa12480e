import type { Consumer, EachBatchPayload } from 'kafkajs';

/**
 * The offset after a batch handled up to `last`: when `last` is the batch's last message handed over, past
 * the records kafkajs filtered after it too (a transaction's commit marker, aborted data), as kafkajs'
 * own resolveOffset does; otherwise the group's offset would stay short of the log end for ever and the
 * partition never count as caught up. Never past a bounded read's `end`.
 */
export function nextOffset(batch: EachBatchPayload['batch'], last: string, end: string | undefined): string {
  const handedOver = batch.messages[batch.messages.length - 1]?.offset;
  let next = BigInt(last) + 1n;
  if (handedOver === last) {
    const fetched = BigInt(batch.lastOffset()) + 1n;
    if (fetched > next) next = fetched;
  }
  if (end !== undefined && next > BigInt(end)) next = BigInt(end);
  return next.toString();
}

/**
 * Commits a handled batch (its transaction committed): the partition's next offset. While running, through
 * `consumer.commitOffsets` (retried). Once stop() began, kafkajs skips that call silently, but its runner
 * waits for this batch before leaving the group: commit through the batch's own `commitOffsetsIfNecessary`
 * with the explicit offset, so a drained batch is not redelivered after a deploy.
 */
export async function commitBatch(consumer: Consumer, p: EachBatchPayload, next: string): Promise<void> {
  const { topic, partition } = p.batch;
  if (p.isRunning()) await consumer.commitOffsets([{ topic, partition, offset: next }]);
  // Also when stop() began during the call above (it may then have returned without committing).
  if (!p.isRunning()) {
    await p.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
  }
}

/** Waits `ms`, sending the group a heartbeat every second (a retried batch keeps its partition). */
export async function sleepWithHeartbeat(ms: number, heartbeat: () => Promise<void>): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, Math.min(1000, end - Date.now())));
    await heartbeat();
  }
}
