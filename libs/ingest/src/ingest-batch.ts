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
    const referenceMs = referenceTime(message.timestamp, o.receivedAt.getTime());
    const r = parseEvent(message.value, {
      topicKind: o.kind,
      now: new Date(referenceMs),
      maxFutureSkewMs: o.maxFutureSkewMs,
    });
    if (r.ok) {
      valid.push({
        event: r.event,
        occurredAtMs: r.occurredAtMs,
        progressMs: Math.min(r.occurredAtMs, referenceMs),
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

/**
 * "Now" for the future-timestamp rule, and the bound on the event-time progress a message may contribute
 * (IngestEvent.progressMs): the message's Kafka timestamp (capped by arrival time), so a replay of the same
 * message decides the same way it did live. A missing or meaningless timestamp (-1 is Kafka's
 * NO_TIMESTAMP; 0, negative, non-numeric) falls back to arrival time.
 */
function referenceTime(kafkaTimestamp: string, receivedAtMs: number): number {
  const ts = Number(kafkaTimestamp);
  return Number.isFinite(ts) && ts > 0 ? Math.min(ts, receivedAtMs) : receivedAtMs;
}
