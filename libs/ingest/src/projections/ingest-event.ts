import type { ContractEvent, EventType } from '@rp/contracts';

/** A validated event with where it came from. */
export interface IngestEvent<E extends ContractEvent = ContractEvent> {
  event: E;
  occurredAtMs: number;
  /**
   * How far this event may advance event-time progress (stream_watermarks): min(occurredAtMs, the time it
   * reached Kafka — its Kafka timestamp capped by arrival, arrival when it has none). A producer whose clock
   * runs ahead (accepted up to INGEST_MAX_FUTURE_SKEW_MS) then cannot fire other dealers' timers early; its
   * own evaluation stays at occurredAtMs. Absent (events not read from Kafka): occurredAtMs.
   */
  progressMs?: number;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Code-point order of two strings — UTF-8 byte order, i.e. Postgres' `COLLATE "C"`. JS `<` compares UTF-16
 * code units, which puts a character above U+FFFF (a surrogate pair, D800–DFFF) below U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates rank above U+E000–U+FFFF (they encode code points above U+FFFF); other units keep their order. */
const codePointRank = (unit: number): number =>
  unit < 0xd800 ? unit : unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;

/**
 * Event-time order with the event id as tie-breaker: the same order live and in a replay, and the order the
 * projections' SQL compares stamps in (`(at, event_id COLLATE "C")`), so a batch folds as the database would.
 */
export const byEventTime = (a: IngestEvent, b: IngestEvent): number =>
  a.occurredAtMs - b.occurredAtMs || compareCodePoints(a.event.eventId, b.event.eventId);

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
