import type { IHeaders, Message, ProducerConfig } from 'kafkajs';

export interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
  offset: string;
  /** Kafka message timestamp (ms since epoch, as a string). */
  timestamp: string;
}

export interface Rejected {
  message: RawMessage;
  code: string;
  reason: string;
}

/** The DLQ copy: original key and bytes unchanged, original headers kept, the EVENTS.md headers added. */
export function deadLetter(r: Rejected, topic: string, partition: number, failedAt: Date): Message {
  return {
    key: r.message.key,
    value: r.message.value,
    headers: {
      ...(r.message.headers ?? {}),
      'x-error-code': r.code,
      'x-error-message': r.reason.slice(0, 2000),
      'x-source-topic': topic,
      'x-source-partition': String(partition),
      'x-source-offset': r.message.offset,
      'x-failed-at': failedAt.toISOString(),
    },
  };
}

/**
 * Bytes of DLQ copies per send, at most. kafkajs writes one partition's messages of a send as one record
 * batch, and the broker refuses a batch above the topic's max.message.bytes (MESSAGE_TOO_LARGE, which no
 * retry cures): a fetch full of rejects of one key must go out in several sends. A copy larger than this
 * goes alone (the DLQ topic's limit leaves room for its headers).
 */
export const DLQ_SEND_BYTES = 1_048_576;

/** Record overhead of the v2 format, bounded from above: length, attributes, deltas, lengths (varints). */
const RECORD_OVERHEAD = 32;
const HEADER_OVERHEAD = 10;

const bytesOf = (v: Buffer | string | null | undefined): number =>
  v === null || v === undefined ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length;

/** Upper estimate of a message's size in a record batch (uncompressed). */
export function recordBytes(m: Message): number {
  let n = RECORD_OVERHEAD + bytesOf(m.key) + bytesOf(m.value);
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) n += HEADER_OVERHEAD + bytesOf(k) + bytesOf(one);
  }
  return n;
}

/** Cuts messages, in order, into sends of at most `maxBytes` (estimated); an oversize one is sent alone. */
export function chunkBySize(messages: Message[], maxBytes = DLQ_SEND_BYTES): Message[][] {
  const chunks: Message[][] = [];
  let current: Message[] = [];
  let size = 0;
  for (const m of messages) {
    const n = recordBytes(m);
    if (current.length > 0 && size + n > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The producer of an ingest process (dead letters, decisions to `retention.decisions`): idempotent, so a
 * send kafkajs retries after a lost acknowledgement is not written twice (sends use acks -1); one request in
 * flight, as kafkajs requires for it; retries bounded (kafkajs' idempotent default is unbounded), after which
 * the batch fails as transient and is retried whole, never skipped.
 */
export const INGEST_PRODUCER: ProducerConfig = {
  allowAutoTopicCreation: false,
  idempotent: true,
  maxInFlightRequests: 1,
  retry: { retries: 5 },
};
