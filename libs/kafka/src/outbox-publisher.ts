import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

export interface OutboxPublication {
  /** Outbox rows of this kind are published. */
  kind: string;
  topic: string;
  /** Header carrying the payload's `id`, for consumers to de-duplicate on. */
  idHeader: string;
  limit?: number;
  /**
   * How long claimed rows stay reserved for this publisher (default 120 s): longer than a send with its
   * retries takes; a publisher that crashed after sending has its rows sent again once it ran out.
   */
  leaseMs?: number;
}

const DEFAULT_PUBLISH_LEASE_MS = 120_000;

interface Claimed {
  id: string;
  payload: { customerId: string; id: string };
}

/**
 * Publishes outbox rows of one kind to Kafka (key = payload.customerId, header = payload.id), oldest first.
 * No row lock is held across the network: rows are leased (`publishing_until`) in one short statement
 * (SKIP LOCKED, so replicas, the followups relay and the alerts fan-out pass each other), sent, then
 * marked published in a second statement. A failed send frees its rows for the next attempt; a crash
 * after the send and before the mark sends them again once the lease ran out (at least once; consumers
 * de-duplicate on the id header). The producer's own guarantees (idempotent, acks -1) are unchanged.
 */
export async function publishOutbox(
  ds: DataSource,
  producer: Producer,
  o: OutboxPublication,
): Promise<number> {
  const rows = await claim(ds, o);
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  try {
    await producer.send({
      topic: o.topic,
      acks: -1,
      messages: rows.map((r) => ({
        key: r.payload.customerId,
        value: JSON.stringify(r.payload),
        headers: { [o.idHeader]: r.payload.id },
      })),
    });
  } catch (err) {
    // Not sent: the next attempt takes them at once rather than after the lease (which covers a failure here).
    await ds
      .query('UPDATE outbox SET publishing_until = NULL WHERE id = ANY($1::bigint[])', [ids])
      .catch(() => undefined);
    throw err;
  }
  await ds.query(
    'UPDATE outbox SET published_at = now(), publishing_until = NULL WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return rows.length;
}

/** Leases up to `limit` unpublished rows not leased by anyone (or whose lease ran out), oldest first. */
function claim(ds: DataSource, o: OutboxPublication): Promise<Claimed[]> {
  return ds.query<Claimed[]>(
    `WITH due AS (
       SELECT id FROM outbox
        WHERE kind = $1 AND published_at IS NULL AND (publishing_until IS NULL OR publishing_until < now())
        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED),
     leased AS (
       UPDATE outbox SET publishing_until = now() + make_interval(secs => $3::double precision / 1000)
        WHERE id IN (SELECT id FROM due)
        RETURNING id, payload)
     SELECT id, payload FROM leased ORDER BY id`,
    [o.kind, o.limit ?? 500, o.leaseMs ?? DEFAULT_PUBLISH_LEASE_MS],
  );
}
