import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { publishOutbox } from '@rp/kafka';

/** Publishes recorded decisions to `retention.decisions` (key customerId, header `x-decision-id`). */
export const publishDecisions = (
  ds: DataSource,
  producer: Producer,
  topic: string,
  limit = 500,
): Promise<number> =>
  publishOutbox(ds, producer, { kind: 'decision', topic, idHeader: 'x-decision-id', limit });
