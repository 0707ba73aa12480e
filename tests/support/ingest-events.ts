import { parseEvent } from '@rp/contracts';
import type { IngestEvent } from '@rp/ingest';
import { kindOf, type Ev } from './events';

/**
 * Contract events as the ingest path hands them to the projections (validated, one partition, offsets in
 * list order), for tests that apply events without Kafka. Throws on an event the contract rejects.
 */
export function ingestEvents(events: Ev[]): IngestEvent[] {
  return events.map((e, i) => {
    const r = parseEvent(JSON.stringify(e), { topicKind: kindOf(e.type), now: new Date('2030-01-01') });
    if (!r.ok) throw new Error(`${e.eventId}: ${r.message}`);
    return {
      event: r.event,
      occurredAtMs: r.occurredAtMs,
      topic: kindOf(e.type),
      partition: 0,
      offset: String(i),
    };
  });
}
