import { z } from 'zod';
import { isPlainObject } from './primitives';

/** Input topic kinds; the actual topic names are configurable (see @rp/config). */
export const TOPIC_KINDS = Object.freeze(['telematics', 'warranty', 'service'] as const);
export type TopicKind = (typeof TOPIC_KINDS)[number];

export const TELEMATICS_EVENT_TYPES = Object.freeze(['telematics.snapshot'] as const);
export const WARRANTY_EVENT_TYPES = Object.freeze([
  'warranty.registered',
  'warranty.extended',
  'warranty.expiring',
  'warranty.expired',
  'ownership.transferred',
] as const);
export const SERVICE_EVENT_TYPES = Object.freeze([
  'customer.upserted',
  'work-order.opened',
  'work-order.closed',
  'parts.sold',
  'complaint.opened',
  'complaint.resolved',
  'survey.responded',
] as const);

/** Which event types each input topic kind may carry; anything else is `TYPE_NOT_ALLOWED_ON_TOPIC`. */
export const EVENT_TYPES_BY_TOPIC = Object.freeze({
  telematics: TELEMATICS_EVENT_TYPES,
  warranty: WARRANTY_EVENT_TYPES,
  service: SERVICE_EVENT_TYPES,
} as const);

export const EVENT_TYPES = Object.freeze([
  ...TELEMATICS_EVENT_TYPES,
  ...WARRANTY_EVENT_TYPES,
  ...SERVICE_EVENT_TYPES,
] as const);
export type EventType = (typeof EVENT_TYPES)[number];
export type TelematicsEventType = (typeof TELEMATICS_EVENT_TYPES)[number];
export type WarrantyEventType = (typeof WARRANTY_EVENT_TYPES)[number];
export type ServiceEventType = (typeof SERVICE_EVENT_TYPES)[number];

export const SUPPORTED_SCHEMA_VERSION = 1;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/** The input topic kind an event type belongs to. */
export function topicKindOf(type: EventType): TopicKind {
  if ((TELEMATICS_EVENT_TYPES as readonly string[]).includes(type)) return 'telematics';
  if ((WARRANTY_EVENT_TYPES as readonly string[]).includes(type)) return 'warranty';
  return 'service';
}

/** Common fields of every input message; `data` is typed per `type` in `ContractEvent`. */
export interface EventEnvelope<T extends EventType, D> {
  /** Unique per event at its source; the de-duplication key. */
  eventId: string;
  type: T;
  /** As sent (RFC 3339 with offset); use `occurredAtMs` from `parseEvent` for ordering. */
  occurredAt: string;
  /** The tenant. */
  dealerId: string;
  source?: string;
  schemaVersion: typeof SUPPORTED_SCHEMA_VERSION;
  data: D;
}

/** Envelope shape before `type`-specific checks; `schemaVersion` is checked first, separately. */
export const envelopeSchema = z.object({
  eventId: z.string().min(1).max(128),
  type: z.string(),
  occurredAt: z.string(),
  dealerId: z.string().min(1).max(64),
  source: z.string().optional(),
  data: z.custom<Record<string, unknown>>(isPlainObject, {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be an object'),
  }),
});
