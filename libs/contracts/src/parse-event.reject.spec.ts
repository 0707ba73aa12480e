import { RejectionCode, parseEvent, type ParseEventOptions } from './index';
import { NOW, SERVICE, base, rejection, withData, withEnvelope, without } from './spec-helpers';

describe('parseEvent rejections', () => {
  it('the base message is valid', () => {
    expect(parseEvent(JSON.stringify(base), SERVICE).ok).toBe(true);
  });

  it.each<[string, Buffer | string | null]>([
    ['null (tombstone)', null],
    ['empty string', ''],
    ['empty buffer', Buffer.alloc(0)],
    ['whitespace only', ' \n\t '],
  ])('EMPTY_MESSAGE for %s', (_name, raw) => {
    expect(rejection(raw).code).toBe(RejectionCode.EMPTY_MESSAGE);
  });

  it.each<[string, string]>([
    ['truncated', '{"eventId":"e1",'],
    ['trailing garbage', `${JSON.stringify(base)} x`],
    ['single quotes', "{'eventId':'e1'}"],
  ])('INVALID_JSON for %s', (_name, raw) => {
    expect(rejection(raw)).toEqual({
      code: RejectionCode.INVALID_JSON,
      message: 'message is not valid JSON',
    });
  });

  it('INVALID_JSON for bytes that are not UTF-8', () => {
    expect(rejection(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toEqual({
      code: RejectionCode.INVALID_JSON,
      message: 'message is not valid UTF-8',
    });
  });

  it.each<[string, string]>([
    ['[1,2]', 'message must be a JSON object, got an array'],
    ['"text"', 'message must be a JSON object, got a string'],
    ['42', 'message must be a JSON object, got a number'],
    ['null', 'message must be a JSON object, got null'],
  ])('NOT_AN_OBJECT for %s', (raw, message) => {
    expect(rejection(raw)).toEqual({ code: RejectionCode.NOT_AN_OBJECT, message });
  });

  it.each<[string, string, string]>([
    ['missing eventId', without('eventId'), 'eventId: is required'],
    ['empty eventId', withEnvelope({ eventId: '' }), 'eventId: must not be empty'],
    [
      'eventId of 129 chars',
      withEnvelope({ eventId: 'x'.repeat(129) }),
      'eventId: must be at most 128 characters',
    ],
    ['numeric eventId', withEnvelope({ eventId: 17 }), 'eventId: must be a string'],
    [
      'dealerId of 65 chars',
      withEnvelope({ dealerId: 'd'.repeat(65) }),
      'dealerId: must be at most 64 characters',
    ],
    ['missing dealerId', without('dealerId'), 'dealerId: is required'],
    ['missing type', without('type'), 'type: is required'],
    ['missing occurredAt', without('occurredAt'), 'occurredAt: is required'],
    ['data an array', withEnvelope({ data: [] }), 'data: must be an object'],
    ['missing data', without('data'), 'data: is required'],
    [
      'schemaVersion not an integer',
      withEnvelope({ schemaVersion: '1' }),
      'schemaVersion: must be a positive integer',
    ],
    ['schemaVersion 0', withEnvelope({ schemaVersion: 0 }), 'schemaVersion: must be a positive integer'],
    ['negative laborAmount', withData({ laborAmount: -0.01 }), 'data.laborAmount: must be >= 0'],
    ['string partsAmount', withData({ partsAmount: '5' }), 'data.partsAmount: must be a number'],
    [
      'lower-case currency',
      withData({ currency: 'eur' }),
      'data.currency: must be a 3-letter upper-case ISO 4217 code',
    ],
    ['missing customerId', withData({ customerId: undefined }), 'data.customerId: is required'],
    ['null required field', withData({ customerId: null }), 'data.customerId: is required'],
    [
      '129-char workOrderId',
      withData({ workOrderId: 'w'.repeat(129) }),
      'data.workOrderId: must be at most 128 characters',
    ],
    [
      'unknown kind',
      withData({ kind: 'overhaul' }),
      'data.kind: must be one of: maintenance, repair, inspection, warranty-repair',
    ],
    ['negative downtimeHours', withData({ downtimeHours: -1 }), 'data.downtimeHours: must be >= 0'],
    [
      'several issues, listed in order',
      withData({ laborAmount: -1, currency: 'EURO' }),
      'data.laborAmount: must be >= 0; data.currency: must be a 3-letter upper-case ISO 4217 code',
    ],
  ])('SCHEMA_INVALID for %s', (_name, raw, message) => {
    expect(rejection(raw)).toEqual({ code: RejectionCode.SCHEMA_INVALID, message });
  });

  it('UNKNOWN_TYPE names the type', () => {
    expect(rejection(withEnvelope({ type: 'work-order.deleted' }))).toEqual({
      code: RejectionCode.UNKNOWN_TYPE,
      message: 'type: unknown event type "work-order.deleted"',
    });
  });

  it.each<[ParseEventOptions['topicKind'], string, string]>([
    [
      'telematics',
      'work-order.closed',
      'type: work-order.closed belongs on a service topic, not a telematics topic',
    ],
    [
      'warranty',
      'telematics.snapshot',
      'type: telematics.snapshot belongs on a telematics topic, not a warranty topic',
    ],
    [
      'service',
      'warranty.expired',
      'type: warranty.expired belongs on a warranty topic, not a service topic',
    ],
  ])('TYPE_NOT_ALLOWED_ON_TOPIC on %s for %s', (topicKind, type, message) => {
    expect(rejection(withEnvelope({ type }), { topicKind, now: NOW })).toEqual({
      code: RejectionCode.TYPE_NOT_ALLOWED_ON_TOPIC,
      message,
    });
  });

  it.each([2, 3])('UNSUPPORTED_SCHEMA_VERSION for %d, checked before the rest of the schema', (v) => {
    expect(rejection(JSON.stringify({ schemaVersion: v, type: 'something-new' }))).toEqual({
      code: RejectionCode.UNSUPPORTED_SCHEMA_VERSION,
      message: `schemaVersion: ${v} is not supported (supported: 1)`,
    });
  });
});
