import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  EVENT_TYPES_BY_TOPIC,
  SUPPORTED_SCHEMA_VERSION,
  envelopeSchema,
  isEventType,
  topicKindOf,
  type TopicKind,
} from './envelope';
import type { z } from 'zod';
import { EVENT_DATA_SCHEMAS, type ContractEvent } from './events';
import { describeIssues, issueText } from './issues';
import { RFC3339_MESSAGE, isPlainObject, timestampProblem, withoutNulls } from './primitives';
import { RejectionCode, reject, type Rejection } from './rejection';
import { findUnstorableText, mayHoldUnstorableText } from './storable-text';
import { parseRfc3339 } from './timestamp';

export interface ParseEventOptions {
  /** Kind of the topic the message was read from; other types are `TYPE_NOT_ALLOWED_ON_TOPIC`. */
  topicKind: TopicKind;
  /** Reference time for the future-skew check (the caller's clock; this library reads none). */
  now: Date;
  /** How far `occurredAt` may lie ahead of `now`; default 24 h. Exactly the limit is accepted. */
  maxFutureSkewMs?: number;
  /** Maximum size in UTF-8 bytes; default 1 MiB. Exactly the limit is accepted. */
  maxBytes?: number;
}

export interface ParsedEvent {
  ok: true;
  event: ContractEvent;
  /** Epoch ms of `occurredAt`: the event time all processing orders by. */
  occurredAtMs: number;
}

export type ParseEventResult = ParsedEvent | Rejection;

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** The shape of a type name: only such a value is quoted back (anything else may be personal data). */
const TYPE_NAME = /^[a-z0-9.-]{1,64}$/;

/**
 * Validates one raw input message against the v1 contract. Never throws for bad input: every
 * failure is a `Rejection` with a stable code (a permanent failure, for the DLQ).
 */
export function parseEvent(
  raw: Buffer | string | null | undefined,
  opts: ParseEventOptions,
): ParseEventResult {
  const nowMs = opts.now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('parseEvent: opts.now is an invalid Date');
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxSkewMs = opts.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;

  const text = decode(raw, maxBytes);
  if (typeof text !== 'string') return text;

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's own message quotes the input, which may hold personal data.
    return reject(RejectionCode.INVALID_JSON, 'message is not valid JSON');
  }
  if (!isPlainObject(json)) {
    return reject(RejectionCode.NOT_AN_OBJECT, `message must be a JSON object, got ${jsonKind(json)}`);
  }
  const input = withoutNulls(json) as Record<string, unknown>;

  const version = input['schemaVersion'];
  if (version !== undefined) {
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      return reject(RejectionCode.SCHEMA_INVALID, 'schemaVersion: must be a positive integer');
    }
    if (version !== SUPPORTED_SCHEMA_VERSION) {
      return reject(
        RejectionCode.UNSUPPORTED_SCHEMA_VERSION,
        `schemaVersion: ${version} is not supported (supported: ${SUPPORTED_SCHEMA_VERSION})`,
      );
    }
  }

  const envelope = envelopeSchema.safeParse(input);
  if (!envelope.success) {
    const { message } = describeIssues(withOurMessages(envelopeSchema, input, envelope.error.issues));
    return reject(RejectionCode.SCHEMA_INVALID, message);
  }
  const { eventId, type, occurredAt, dealerId, source, data } = envelope.data;

  if (!isEventType(type)) {
    return reject(RejectionCode.UNKNOWN_TYPE, `type: unknown event type ${describeType(type)}`);
  }
  if (!(EVENT_TYPES_BY_TOPIC[opts.topicKind] as readonly string[]).includes(type)) {
    return reject(
      RejectionCode.TYPE_NOT_ALLOWED_ON_TOPIC,
      `type: ${type} belongs on a ${topicKindOf(type)} topic, not a ${opts.topicKind} topic`,
    );
  }

  const occurredAtMs = parseRfc3339(occurredAt);
  if (occurredAtMs === undefined) {
    return reject(
      RejectionCode.INVALID_TIMESTAMP,
      `occurredAt: ${timestampProblem(occurredAt, RFC3339_MESSAGE)}`,
    );
  }
  if (occurredAtMs - nowMs > maxSkewMs) {
    return reject(
      RejectionCode.OCCURRED_AT_IN_FUTURE,
      `occurredAt: ${new Date(occurredAtMs).toISOString()} is more than ${maxSkewMs} ms ahead of ${opts.now.toISOString()}`,
    );
  }

  const dataSchema = EVENT_DATA_SCHEMAS[type];
  const parsedData = dataSchema.safeParse(data);
  if (!parsedData.success) {
    const { code, message } = describeIssues(
      withOurMessages(dataSchema, data, parsedData.error.issues),
      'data',
    );
    return reject(code, message);
  }

  if (mayHoldUnstorableText(text)) {
    const found =
      findUnstorableText(eventId, 'eventId') ??
      findUnstorableText(dealerId, 'dealerId') ??
      findUnstorableText(source, 'source') ??
      findUnstorableText(parsedData.data, 'data');
    if (found !== undefined) return reject(RejectionCode.SCHEMA_INVALID, found);
  }

  const event = {
    eventId,
    type,
    occurredAt,
    dealerId,
    ...(source === undefined ? {} : { source }),
    schemaVersion: SUPPORTED_SCHEMA_VERSION,
    data: parsedData.data,
  } as ContractEvent; // sound: `data` was validated by the schema registered for `type`
  return { ok: true, event, occurredAtMs };
}

/**
 * The issues of an input the schema refused, with our messages. Valid input is parsed without them: zod runs
 * a compiled fast path only when no per-call error map is given (1.8 vs 0.2 µs for the envelope, 2.4 vs 0.7 µs
 * for a snapshot's data: ~40 % of parsing an event), so the map is applied only to what failed — the same
 * schema, so the same issues.
 */
function withOurMessages(
  schema: z.ZodType,
  input: unknown,
  issues: readonly z.core.$ZodIssue[],
): readonly z.core.$ZodIssue[] {
  const again = schema.safeParse(input, { error: issueText });
  return again.success ? issues : again.error.issues; // (a pure schema refuses the same input again)
}

function decode(raw: Buffer | string | null | undefined, maxBytes: number): string | Rejection {
  if (raw === null || raw === undefined || raw.length === 0) {
    return reject(RejectionCode.EMPTY_MESSAGE, 'message is empty (null or zero-length value)');
  }
  const size = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.length;
  if (size > maxBytes) {
    return reject(RejectionCode.TOO_LARGE, `message is ${size} bytes; the limit is ${maxBytes} bytes`);
  }
  let text: string;
  if (typeof raw === 'string') {
    text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  } else {
    try {
      text = utf8.decode(raw); // drops a leading BOM
    } catch {
      return reject(RejectionCode.INVALID_JSON, 'message is not valid UTF-8');
    }
  }
  if (text.trim() === '') return reject(RejectionCode.EMPTY_MESSAGE, 'message is blank');
  return text;
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function describeType(value: string): string {
  return TYPE_NAME.test(value) ? JSON.stringify(value) : `(not a type name, ${value.length} chars)`;
}
