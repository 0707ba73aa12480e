import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { publishOutbox } from '@rp/kafka';

/** Publishes recorded outcomes to `followup.outcomes` (key customerId, header `x-outcome-id`). */
export const publishOutcomes = (
  ds: DataSource,
  producer: Producer,
  topic: string,
  limit = 500,
): Promise<number> =>
  publishOutbox(ds, producer, { kind: 'outcome', topic, idHeader: 'x-outcome-id', limit });
