import type { SimEvent, SimRecord } from '../records';

/**
 * The event as JSON with a fixed key order: envelope fields in EVENTS.md order, then `data` with its
 * keys (and nested keys) sorted. This is the Kafka message value.
 */
export function eventJson(e: SimEvent): string {
  return (
    `{"eventId":${JSON.stringify(e.eventId)},"type":${JSON.stringify(e.type)},` +
    `"occurredAt":${JSON.stringify(e.occurredAt)},"dealerId":${JSON.stringify(e.dealerId)},` +
    `"source":${JSON.stringify(e.source)},"schemaVersion":${e.schemaVersion},"data":${canonical(e.data)}}`
  );
}

/** One NDJSON line (without the newline): `{"topic":…,"key":…,"event":{…}}`, byte-stable for a record. */
export function toNdjsonLine(record: SimRecord): string {
  return `{"topic":${JSON.stringify(record.topic)},"key":${JSON.stringify(record.key)},"event":${eventJson(record.event)}}`;
}

function canonical(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonical(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = sortedKeys(obj);
  let out = '{';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${quoted(k)}:${canonical(v)}`;
  }
  return `${out}}`;
}

// Keys repeat across millions of events: quote each once.
const quotedKeys = new Map<string, string>();
function quoted(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, q);
  }
  return q;
}

// Millions of objects share a few dozen shapes: sort each shape's keys once.
const sortedShapes = new Map<string, string[]>();
function sortedKeys(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj);
  const shape = keys.join('\u0000');
  let sorted = sortedShapes.get(shape);
  if (sorted === undefined) {
    sorted = [...keys].sort();
    if (sortedShapes.size < 10_000) sortedShapes.set(shape, sorted);
  }
  return sorted;
}
