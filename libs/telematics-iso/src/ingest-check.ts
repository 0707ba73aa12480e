import { parseEvent } from '@rp/contracts';

/** Input messages are at most 1 MiB (EVENTS.md). */
export const MAX_EVENT_BYTES = 1024 * 1024;

/**
 * Why ingest would dead-letter this message, or undefined: the contract's own check, with the import's
 * reference time and the ingest's future skew. Such an event is reported, never published as a success.
 */
export function ingestRefusal(value: string, now: number, maxFutureSkewMs?: number): string | undefined {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_EVENT_BYTES)
    return `event is ${bytes} bytes, over the ${MAX_EVENT_BYTES}-byte message limit`;
  const checked = parseEvent(value, { topicKind: 'telematics', now: new Date(now), maxFutureSkewMs });
  return checked.ok ? undefined : `ingest would refuse the event (${checked.code}): ${checked.message}`;
}
