import { parseEvent, type TopicKind } from '@rp/contracts';
import type { IngestEvent } from './projections/ingest-event';
import type { RawMessage, Rejected } from './consumer/dead-letter';

export interface ParsedBatch {
  valid: IngestEvent[];
  rejected: Rejected[];
}

export interface ParseBatchOptions {
  topic: string;
  partition: number;
  kind: TopicKind;
  /** Wall-clock arrival of the batch (the edge may read the clock; the domain never does). */
  receivedAt: Date;
  maxFutureSkewMs?: number;
}

/** Validates every message of a batch against the contract; the invalid ones are set aside for the DLQ. */
export function parseBatch(messages: RawMessage[], o: ParseBatchOptions): ParsedBatch {
  const valid: IngestEvent[] = [];
  const rejected: Rejected[] = [];
  for (const message of messages) {
    // "Now" for the future-timestamp rule is the message's Kafka timestamp (capped by arrival time), so a
    // replay of the same message decides the same way it did live.
    const now = new Date(
      Math.min(Number(message.timestamp) || o.receivedAt.getTime(), o.receivedAt.getTime()),
    );
    const r = parseEvent(message.value, { topicKind: o.kind, now, maxFutureSkewMs: o.maxFutureSkewMs });
    if (r.ok) {
      valid.push({
        event: r.event,
        occurredAtMs: r.occurredAtMs,
        topic: o.topic,
        partition: o.partition,
        offset: message.offset,
      });
    } else {
      rejected.push({ message, code: r.code, reason: r.message });
    }
  }
  return { valid, rejected };
}
