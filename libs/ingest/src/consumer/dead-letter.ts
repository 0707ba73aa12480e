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
