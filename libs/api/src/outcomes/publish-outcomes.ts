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

/**
 * Age (ms, by the database's clock) of the oldest outcome not yet published, null when none waits: one
 * scan of outbox_outcomes_unpublished_idx, for the outcomes publisher's /health probe.
 */
export async function oldestUnpublishedOutcomeMs(ds: DataSource): Promise<number | null> {
  const rows = await ds.query<{ age_ms: number }[]>(
    `SELECT (extract(epoch FROM now() - created_at) * 1000)::float8 AS age_ms FROM outbox
      WHERE kind = 'outcome' AND published_at IS NULL ORDER BY id LIMIT 1`,
  );
  return rows.length ? Math.max(0, Number(rows[0].age_ms)) : null;
}
