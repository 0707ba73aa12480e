import type { IngestEvent } from '../projections/ingest-event';
import { iso, type Executor } from '../projections/sql';

/** Prefix of a timer subject that names a machine (resolved to its owner when it fires). */
export const SERIAL_SUBJECT = '#serial:';

/** Customers an event is about (owners of its machine are resolved in SQL). */
function customersOf(e: IngestEvent): string[] {
  const d = e.event.data as { customerId?: string; fromCustomerId?: string; toCustomerId?: string };
  return [d.customerId, d.fromCustomerId, d.toCustomerId].filter((c): c is string => typeof c === 'string');
}

/**
 * Every applied event asks for an evaluation of its customer as of the event's own time. The timer
 * fires once the event-time watermark has passed it, i.e. when every event up to that instant (within
 * the allowed lateness) is known: the same evaluations live and in a replay.
 */
export async function scheduleEvaluations(db: Executor, applied: IngestEvent[]): Promise<void> {
  if (applied.length === 0) return;
  const direct = applied.flatMap((e) =>
    customersOf(e).map((c) => [e.event.dealerId, c, iso(e.occurredAtMs)]),
  );
  const bySerial = applied
    .filter((e) => customersOf(e).length === 0)
    .map((e) => [
      e.event.dealerId,
      (e.event.data as { serialNumber: string }).serialNumber,
      iso(e.occurredAtMs),
    ]);
  // A machine's event is scheduled by serial and resolved to its owner when the timer fires: the owner
  // may not be known yet (its registration can arrive later), and the schedule must not depend on that.
  const rows = [...direct, ...bySerial.map(([d, s, t]) => [d, `${SERIAL_SUBJECT}${s}`, t])];
  await db.query(
    `INSERT INTO risk_timers (dealer_id, customer_id, due_at)
     SELECT DISTINCT d, c, t FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(d, c, t)
     ON CONFLICT DO NOTHING`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
}
