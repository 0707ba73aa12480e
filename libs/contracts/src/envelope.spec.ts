import {
  EVENT_TYPES,
  EVENT_TYPES_BY_TOPIC,
  REJECTION_CODES,
  RejectionCode,
  TOPIC_KINDS,
  isEventType,
  topicKindOf,
} from './index';

describe('event types by topic', () => {
  it('lists the 13 v1 types, each on exactly one topic kind', () => {
    expect(EVENT_TYPES).toHaveLength(13);
    const all = TOPIC_KINDS.flatMap((kind) => [...EVENT_TYPES_BY_TOPIC[kind]]);
    expect([...all].sort()).toEqual([...EVENT_TYPES].sort());
    expect(new Set(all).size).toBe(13);
  });

  it('maps types to topic kinds', () => {
    expect(EVENT_TYPES_BY_TOPIC.telematics).toEqual(['telematics.snapshot']);
    expect(EVENT_TYPES_BY_TOPIC.warranty).toEqual([
      'warranty.registered',
      'warranty.extended',
      'warranty.expiring',
      'warranty.expired',
      'ownership.transferred',
    ]);
    expect(EVENT_TYPES_BY_TOPIC.service).toHaveLength(7);
    for (const kind of TOPIC_KINDS)
      for (const type of EVENT_TYPES_BY_TOPIC[kind]) expect(topicKindOf(type)).toBe(kind);
  });

  it('recognises only exact type names', () => {
    expect(isEventType('parts.sold')).toBe(true);
    expect(isEventType('Parts.Sold')).toBe(false);
    expect(isEventType(undefined)).toBe(false);
  });

  it('the lists cannot be mutated at runtime', () => {
    expect(Object.isFrozen(EVENT_TYPES)).toBe(true);
    expect(Object.isFrozen(EVENT_TYPES_BY_TOPIC.service)).toBe(true);
  });
});

describe('RejectionCode', () => {
  it('has the ten stable codes, each equal to its name', () => {
    expect(REJECTION_CODES).toEqual([
      'EMPTY_MESSAGE',
      'TOO_LARGE',
      'INVALID_JSON',
      'NOT_AN_OBJECT',
      'SCHEMA_INVALID',
      'UNKNOWN_TYPE',
      'TYPE_NOT_ALLOWED_ON_TOPIC',
      'UNSUPPORTED_SCHEMA_VERSION',
      'OCCURRED_AT_IN_FUTURE',
      'INVALID_TIMESTAMP',
    ]);
    for (const [name, value] of Object.entries(RejectionCode)) expect(value).toBe(name);
  });
});
