import { RejectionCode, parseEvent } from './index';
import { NOW, SERVICE, accept, base, envelope, rejection, withData, withEnvelope } from './spec-helpers';

const nul = (field: string) => `${field}: must not contain NUL (U+0000)`;
const telematics = { topicKind: 'telematics' as const, now: NOW };
const warranty = { topicKind: 'warranty' as const, now: NOW };

describe('parseEvent: strings Postgres cannot store are rejected at the door, naming the field', () => {
  it.each<[string, string, string]>([
    ['an identifier (escape)', withData({ workOrderId: 'w\u00001' }), 'data.workOrderId'],
    ['eventId', withEnvelope({ eventId: 'e\u0000' }), 'eventId'],
    ['dealerId', withEnvelope({ dealerId: '\u0000d' }), 'dealerId'],
    ['source', withEnvelope({ source: 'erp\u0000' }), 'source'],
    [
      'a customer name',
      envelope('customer.upserted', { customerId: 'c', name: 'A\u0000B', branchId: 'b' }),
      'data.name',
    ],
    [
      'a phone number',
      envelope('customer.upserted', { customerId: 'c', name: 'A', branchId: 'b', phone: '\u0000' }),
      'data.phone',
    ],
    [
      'an email',
      envelope('customer.upserted', { customerId: 'c', name: 'A', branchId: 'b', email: 'a@b\u0000' }),
      'data.email',
    ],
    [
      'a survey comment',
      envelope('survey.responded', { surveyId: 's', customerId: 'c', comment: 'x\u0000' }),
      'data.comment',
    ],
    [
      'a complaint category',
      envelope('complaint.opened', { complaintId: 'k', customerId: 'c', category: '\u0000' }),
      'data.category',
    ],
  ])('NUL in %s -> SCHEMA_INVALID', (_name, raw, field) => {
    expect(raw).toContain('\\u0000'); // JSON.stringify escapes it
    expect(rejection(raw)).toEqual({ code: RejectionCode.SCHEMA_INVALID, message: nul(field) });
  });

  it('a raw NUL byte inside a string (a string or a Buffer message) -> SCHEMA_INVALID', () => {
    const raw = withData({ customerId: 'PLACEHOLDER' }).replace('PLACEHOLDER', 'c\u0000');
    expect(raw.includes('\u0000')).toBe(true);
    expect(raw.includes('\\u0000')).toBe(false);
    // JSON.parse refuses a raw control character inside a string
    expect(rejection(raw).code).toBe(RejectionCode.INVALID_JSON);
    expect(rejection(Buffer.from(raw)).code).toBe(RejectionCode.INVALID_JSON);
  });

  it('NUL in a nested fault code and in a telematics free-text field', () => {
    const snapshot = (data: object) => envelope('telematics.snapshot', { serialNumber: 's', ...data });
    expect(
      rejection(
        snapshot({
          faultCodes: [
            { code: 'ok', severity: 'low' },
            { code: 'E\u00001', severity: 'low' },
          ],
        }),
        telematics,
      ),
    ).toEqual({ code: RejectionCode.SCHEMA_INVALID, message: nul('data.faultCodes[1].code') });
    expect(rejection(snapshot({ model: 'PC\u0000' }), telematics).message).toBe(nul('data.model'));
    expect(rejection(snapshot({ oemName: 'K\u0000' }), telematics).message).toBe(nul('data.oemName'));
  });

  it('NUL in warranty fields', () => {
    const raw = envelope('warranty.registered', {
      serialNumber: 's',
      customerId: 'c',
      branchId: 'b',
      model: 'M\u0000',
      startsAt: '2026-01-01',
      endsAt: '2027-01-01',
    });
    expect(rejection(raw, warranty)).toEqual({
      code: RejectionCode.SCHEMA_INVALID,
      message: nul('data.model'),
    });
  });

  it('an unpaired surrogate (escape) -> SCHEMA_INVALID; a valid pair is accepted', () => {
    const raw = (name: string) => envelope('customer.upserted', { customerId: 'c', name, branchId: 'b' });
    expect(rejection(raw('A\ud800'))).toEqual({
      code: RejectionCode.SCHEMA_INVALID,
      message: 'data.name: must not contain an unpaired surrogate (invalid Unicode)',
    });
    expect(rejection(raw('\udc00B')).message).toBe(
      'data.name: must not contain an unpaired surrogate (invalid Unicode)',
    );
    expect(accept(raw('A😀B'), 'service').event.data).toMatchObject({ name: 'A😀B' });
    const escaped = raw('x').replace('"x"', '"\\ud83d\\ude00 \\u00e9"');
    expect(accept(escaped, 'service').event.data).toMatchObject({ name: '😀 é' });
  });

  it('a NUL in a field the contract drops (unknown field) does not reject', () => {
    expect(accept(withData({ note: 'x\u0000' }), 'service').event.eventId).toBe(base.eventId);
  });

  it('a backslash followed by "u0000" as text is not a NUL', () => {
    const r = accept(withData({ customerId: '\\u0000' }), 'service');
    expect(r.event.data).toMatchObject({ customerId: '\\u0000' });
  });
});

describe('parseEvent: instants Postgres cannot store -> INVALID_TIMESTAMP naming the field', () => {
  const RANGE = 'must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';
  const resolved = (occurredAt: string) =>
    JSON.stringify({
      eventId: 'e',
      type: 'complaint.resolved',
      occurredAt,
      dealerId: 'd',
      data: { complaintId: 'k', customerId: 'c' },
    });

  it.each(['0000-06-01T00:00:00Z', '0001-01-01T00:30:00+01:00', '0001-01-01T00:00:00.000+00:01'])(
    'occurredAt %s (before year 1 UTC)',
    (at) => {
      expect(rejection(resolved(at))).toEqual({
        code: RejectionCode.INVALID_TIMESTAMP,
        message: `occurredAt: ${RANGE}`,
      });
    },
  );

  it('the first instant of year 1 is accepted', () => {
    expect(accept(resolved('0001-01-01T00:00:00Z'), 'service').occurredAtMs).toBe(-62_135_596_800_000);
    expect(accept(resolved('0001-01-01T01:00:00+01:00'), 'service').occurredAtMs).toBe(-62_135_596_800_000);
  });

  const registered = (startsAt: string, endsAt: string) =>
    envelope('warranty.registered', { serialNumber: 's', customerId: 'c', branchId: 'b', startsAt, endsAt });

  it('warranty dates outside the range name the field', () => {
    expect(rejection(registered('2026-01-01', '9999-12-31T23:00:00-23:00'), warranty)).toEqual({
      code: RejectionCode.INVALID_TIMESTAMP,
      message: `data.endsAt: ${RANGE}`,
    });
    expect(rejection(registered('0000-12-31', '2027-01-01'), warranty)).toEqual({
      code: RejectionCode.INVALID_TIMESTAMP,
      message: `data.startsAt: ${RANGE}`,
    });
    const expired = envelope('warranty.expired', {
      serialNumber: 's',
      endedAt: '0000-01-01T00:00:00Z',
      coverage: 'standard',
    });
    expect(rejection(expired, warranty).message).toBe(`data.endedAt: ${RANGE}`);
  });

  it('the last millisecond of 9999 is accepted, the next one is not', () => {
    const ok = accept(registered('0001-01-01', '9999-12-31T23:59:59.999Z'), 'warranty');
    expect(ok.event.data).toMatchObject({
      startsAt: '0001-01-01T00:00:00.000Z',
      endsAt: '9999-12-31T23:59:59.999Z',
    });
    expect(rejection(registered('2026-01-01', '9999-12-31T23:59:59.999-00:01'), warranty).message).toBe(
      `data.endsAt: ${RANGE}`,
    );
  });

  it('fault code instants are checked too', () => {
    const raw = envelope('telematics.snapshot', {
      serialNumber: 's',
      faultCodes: [{ code: 'E1', severity: 'low', firstSeenAt: '0000-01-01T00:00:00Z' }],
    });
    expect(rejection(raw, telematics)).toEqual({
      code: RejectionCode.INVALID_TIMESTAMP,
      message: `data.faultCodes[0].firstSeenAt: ${RANGE}`,
    });
  });

  it('a malformed timestamp keeps the format message', () => {
    expect(rejection(resolved('2026-01-01T00:00:00')).message).toBe(
      'occurredAt: must be an RFC 3339 timestamp with offset (Z or ±hh:mm)',
    );
  });
});

describe('parseEvent: UNKNOWN_TYPE quotes the type only when it looks like a type name', () => {
  it.each(['machine.exploded', 'work-order.deleted', 'x', 'a'.repeat(64)])('%s is quoted', (type) => {
    expect(rejection(withEnvelope({ type }))).toEqual({
      code: RejectionCode.UNKNOWN_TYPE,
      message: `type: unknown event type "${type}"`,
    });
  });

  it.each<[string, number]>([
    ['jane.doe@example.com +86 138 0013 8000', 38],
    ['Jane Doe', 8],
    ['a'.repeat(65), 65],
    ['', 0],
    ['Work-Order.Closed', 17],
  ])('%j is described, not quoted', (type, n) => {
    const r = parseEvent(withEnvelope({ type }), SERVICE);
    expect(r).toEqual({
      ok: false,
      code: RejectionCode.UNKNOWN_TYPE,
      message: `type: unknown event type (not a type name, ${n} chars)`,
    });
  });
});
