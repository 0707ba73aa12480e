import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

/**
 * Publishes recorded outcomes to `followup.outcomes` (key = customerId) from the outbox, oldest first,
 * marking them only after Kafka acknowledged. SKIP LOCKED lets api replicas share the work; a crash
 * before the mark re-publishes (consumers de-duplicate on the outcome id, header `x-outcome-id`).
 */
export async function publishOutcomes(
  ds: DataSource,
  producer: Producer,
  topic: string,
  limit = 500,
): Promise<number> {
  return ds.transaction(async (em) => {
    const rows = await em.query<{ id: string; payload: { customerId: string; id: string } }[]>(
      `SELECT id, payload FROM outbox WHERE kind = 'outcome' AND published_at IS NULL
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (rows.length === 0) return 0;
    await producer.send({
      topic,
      acks: -1,
      messages: rows.map((r) => ({
        key: r.payload.customerId,
        value: JSON.stringify(r.payload),
        headers: { 'x-outcome-id': r.payload.id },
      })),
    });
    await em.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
      rows.map((r) => r.id),
    ]);
    return rows.length;
  });
}
