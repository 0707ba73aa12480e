import type { IngestEvent } from './ingest-event';
import { projectService } from './service.projector';
import { projectTelematics } from './telematics.projector';
import { projectTimeline } from './timeline.projector';
import { cols, iso, unnestInsert, type Executor } from './sql';
import { projectWarranty } from './warranty.projector';
import { ofType } from './ingest-event';

export interface ApplyResult {
  /** Events applied for the first time. */
  applied: IngestEvent[];
  /** Events already processed before (redeliveries, duplicates in the batch). */
  duplicates: number;
}

export interface ApplyOptions {
  /**
   * Expect every key to be new: the keys go in with a plain INSERT, which fails with a unique violation
   * (`isKnownEventKey`) if one was processed before, aborting the transaction; the caller then applies the
   * batch again without this. A plain insert costs Postgres ~40 % less than `ON CONFLICT DO NOTHING
   * RETURNING` (19 vs 30 ms for 2,900 keys) and returns no rows to parse. Redeliveries are rare.
   */
  expectNew?: boolean;
}

const KEY_COLUMNS = cols(
  'dealer_id, event_id, topic, kafka_partition int, kafka_offset bigint, occurred_at timestamptz',
);
/**
 * The error of an `expectNew` batch holding an event processed before (or by a transaction in flight): a
 * unique violation in `processed_events`, whose only unique key is (dealer_id, event_id).
 */
export const isKnownEventKey = (err: unknown): boolean =>
  (err as { code?: unknown })?.code === '23505' && (err as { table?: unknown }).table === 'processed_events';

/**
 * Applies a batch inside the caller's transaction: records the processed-event keys first and projects
 * only the events not seen before, so a redelivered event changes nothing.
 */
export async function applyEvents(
  db: Executor,
  events: IngestEvent[],
  opts: ApplyOptions = {},
): Promise<ApplyResult> {
  const byKey = new Map<string, IngestEvent>(); // first delivery of each key, in batch order
  for (const e of events) {
    const k = `${e.event.dealerId}\u0000${e.event.eventId}`;
    if (!byKey.has(k)) byKey.set(k, e);
  }
  const unique = [...byKey.values()];
  const keyRows = unique.map((e) => [
    e.event.dealerId,
    e.event.eventId,
    e.topic,
    e.partition,
    e.offset,
    iso(e.occurredAtMs),
  ]);
  let applied: IngestEvent[];
  if (opts.expectNew) {
    await unnestInsert(db, 'processed_events', KEY_COLUMNS, keyRows, '');
    applied = unique;
  } else {
    const inserted = await unnestInsert<{ dealer_id: string; event_id: string }>(
      db,
      'processed_events',
      KEY_COLUMNS,
      keyRows,
      'ON CONFLICT DO NOTHING RETURNING dealer_id, event_id',
    );
    const fresh = new Set(inserted.map((r) => `${r.dealer_id}\u0000${r.event_id}`));
    applied = [];
    for (const [k, e] of byKey) if (fresh.has(k)) applied.push(e);
  }
  if (applied.length > 0) {
    // Machines that get new owners in this transaction are locked with the snapshots' machines.
    const owners = ofType(applied, 'warranty.registered', 'ownership.transferred').map(({ event }) => ({
      dealerId: event.dealerId,
      serial: event.data.serialNumber,
    }));
    await projectTelematics(db, ofType(applied, 'telematics.snapshot'), owners);
    await projectWarranty(db, applied);
    await projectService(db, applied);
    await projectTimeline(db, applied);
  }
  return { applied, duplicates: events.length - applied.length };
}
