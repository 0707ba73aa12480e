import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

export interface OutboxPublication {
  /** Outbox rows of this kind are published. */
  kind: string;
  topic: string;
  /** Header carrying the payload's `id`, for consumers to de-duplicate on. */
  idHeader: string;
  limit?: number;
}

/**
 * Publishes outbox rows of one kind to Kafka (key = payload.customerId), oldest first, marking them only
 * after Kafka acknowledged. Rows are locked with SKIP LOCKED so replicas share the work; a crash before
 * the mark re-publishes (at least once; consumers de-duplicate on the id header).
 */
export async function publishOutbox(
  ds: DataSource,
  producer: Producer,
  o: OutboxPublication,
): Promise<number> {
  return ds.transaction(async (em) => {
    const rows = await em.query<{ id: string; payload: { customerId: string; id: string } }[]>(
      `SELECT id, payload FROM outbox WHERE kind = $1 AND published_at IS NULL
        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [o.kind, o.limit ?? 500],
    );
    if (rows.length === 0) return 0;
    await producer.send({
      topic: o.topic,
      acks: -1,
      messages: rows.map((r) => ({
        key: r.payload.customerId,
        value: JSON.stringify(r.payload),
        headers: { [o.idHeader]: r.payload.id },
      })),
    });
    await em.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
      rows.map((r) => r.id),
    ]);
    return rows.length;
  });
}
