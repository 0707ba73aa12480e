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

/**
 * Age (ms, by the database's clock) of the oldest decision not yet published, null when none waits: one
 * scan of outbox_unpublished_idx, for the decisions publisher's /health probe.
 */
export async function oldestUnpublishedDecisionMs(ds: DataSource): Promise<number | null> {
  const rows = await ds.query<{ age_ms: number }[]>(
    `SELECT (extract(epoch FROM now() - created_at) * 1000)::float8 AS age_ms FROM outbox
      WHERE kind = 'decision' AND published_at IS NULL ORDER BY id LIMIT 1`,
  );
  return rows.length ? Math.max(0, Number(rows[0].age_ms)) : null;
}
