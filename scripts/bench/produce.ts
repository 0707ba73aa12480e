import type { Message, Producer } from 'kafkajs';
import type { BenchMessage, TopicKind } from './fleet';

export interface ProduceResult {
  count: number;
  bytes: number;
  seconds: number;
}

/**
 * Produces the generated events once, in big `sendBatch` calls (acks -1, message timestamps set), keyed
 * as EVENTS.md says, with a few calls in flight so generation and the broker overlap.
 */
export async function produceAll(
  producer: Producer,
  topics: Record<TopicKind, string>,
  events: Iterable<BenchMessage>,
  o: { batchSize?: number; inFlight?: number; onProgress?: (count: number, bytes: number) => void } = {},
): Promise<ProduceResult> {
  const batchSize = o.batchSize ?? 10_000;
  const started = performance.now();
  const pending = new Set<Promise<void>>();
  let buffer: Record<TopicKind, Message[]> = { telematics: [], warranty: [], service: [] };
  let buffered = 0;
  let count = 0;
  let bytes = 0;
  let bufferedBytes = 0;
  let failure: Error | undefined;

  const flush = async () => {
    const topicMessages = (Object.keys(buffer) as TopicKind[])
      .filter((k) => buffer[k].length > 0)
      .map((k) => ({ topic: topics[k], messages: buffer[k] }));
    const [n, b] = [buffered, bufferedBytes];
    buffer = { telematics: [], warranty: [], service: [] };
    buffered = 0;
    bufferedBytes = 0;
    const p = producer
      .sendBatch({ acks: -1, topicMessages })
      .then(() => {
        count += n;
        bytes += b;
        o.onProgress?.(count, bytes);
      })
      .catch((err: unknown) => {
        failure ??= err instanceof Error ? err : new Error('sendBatch failed', { cause: err });
      })
      .finally(() => pending.delete(p));
    pending.add(p);
    while (pending.size >= (o.inFlight ?? 3)) await Promise.race(pending);
    if (failure) throw failure;
  };

  for (const e of events) {
    buffer[e.kind].push({ key: e.key, value: e.value, timestamp: String(e.timestampMs) });
    bufferedBytes += Buffer.byteLength(e.value);
    if (++buffered >= batchSize) await flush();
  }
  if (buffered > 0) await flush();
  await Promise.all(pending);
  if (failure) throw failure;
  return { count, bytes, seconds: (performance.now() - started) / 1000 };
}
