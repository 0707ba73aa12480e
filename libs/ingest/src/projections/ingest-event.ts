import type { ContractEvent, EventType } from '@rp/contracts';

/** A validated event with where it came from. */
export interface IngestEvent<E extends ContractEvent = ContractEvent> {
  event: E;
  occurredAtMs: number;
  topic: string;
  partition: number;
  offset: string;
}

/** Event-time order with the event id as tie-breaker: the same order live and in a replay. */
export const byEventTime = (a: IngestEvent, b: IngestEvent): number =>
  a.occurredAtMs - b.occurredAtMs ||
  (a.event.eventId < b.event.eventId ? -1 : a.event.eventId > b.event.eventId ? 1 : 0);

type EventOfType<T extends EventType> = Extract<ContractEvent, { type: T }>;

export function ofType<T extends EventType>(
  events: IngestEvent[],
  ...types: T[]
): IngestEvent<EventOfType<T>>[] {
  return events.filter((e) => (types as string[]).includes(e.event.type)) as IngestEvent<EventOfType<T>>[];
}

/**
 * SQL condition: the incoming row (EXCLUDED) is newer in event time than the stored one. Ids compare byte-wise
 * (COLLATE "C"), as `byEventTime` compares them in a batch, whatever the database's collation.
 */
export const newer = (table: string, at: string, id: string): string =>
  `(EXCLUDED.${at}, EXCLUDED.${id} COLLATE "C") > (${table}.${at}, ${table}.${id} COLLATE "C")`;
