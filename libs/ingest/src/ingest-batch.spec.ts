import { parseBatch } from './ingest-batch';
import type { RawMessage } from './consumer/dead-letter';

const RECEIVED = new Date('2026-01-01T12:00:00.000Z');
const message = (occurredAt: string, timestamp: string, offset = '0'): RawMessage => ({
  key: null,
  value: Buffer.from(
    JSON.stringify({
      eventId: `e-${offset}`,
      type: 'complaint.resolved',
      occurredAt,
      dealerId: 'd1',
      data: { complaintId: 'k', customerId: 'c' },
    }),
  ),
  offset,
  timestamp,
});
const parse = (m: RawMessage) =>
  parseBatch([m], { topic: 'service', partition: 0, kind: 'service', receivedAt: RECEIVED });

describe('parseBatch: the reference time of the future-timestamp rule', () => {
  // 23 h after arrival: valid when the reference is the arrival time.
  const soonAfterArrival = '2026-01-02T11:00:00.000Z';

  it.each([
    ['-1 (Kafka NO_TIMESTAMP)', '-1'],
    ['0', '0'],
    ['a negative value', '-86400000'],
    ['a non-numeric value', 'not-a-number'],
    ['an empty string', ''],
    ['Infinity', 'Infinity'],
  ])('a Kafka timestamp of %s falls back to arrival time', (_name, timestamp) => {
    const r = parse(message(soonAfterArrival, timestamp));
    expect(r.rejected).toEqual([]);
    expect(r.valid.map((v) => v.event.eventId)).toEqual(['e-0']);
  });

  it('a Kafka timestamp of -1 is not taken as 1969 (every event would be "in the future")', () => {
    const r = parse(message('2026-01-01T00:00:00Z', '-1'));
    expect(r.valid).toHaveLength(1);
  });

  it('a Kafka timestamp ahead of arrival is capped at arrival time', () => {
    const ahead = String(RECEIVED.getTime() + 10 * 86_400_000);
    const r = parse(message('2026-01-03T12:00:00.001Z', ahead)); // 24 h + 1 ms past arrival
    expect(r.valid).toEqual([]);
    expect(r.rejected).toEqual([
      {
        message: expect.objectContaining({ offset: '0' }),
        code: 'OCCURRED_AT_IN_FUTURE',
        reason:
          'occurredAt: 2026-01-03T12:00:00.001Z is more than 86400000 ms ahead of 2026-01-01T12:00:00.000Z',
      },
    ]);
  });

  it('a valid Kafka timestamp before arrival is the reference (a replay decides as live did)', () => {
    const produced = String(RECEIVED.getTime() - 2 * 86_400_000); // 2025-12-30T12:00Z
    const r = parse(message('2025-12-31T12:00:00.001Z', produced)); // 24 h + 1 ms after it
    expect(r.rejected.map((x) => [x.code, x.reason])).toEqual([
      [
        'OCCURRED_AT_IN_FUTURE',
        'occurredAt: 2025-12-31T12:00:00.001Z is more than 86400000 ms ahead of 2025-12-30T12:00:00.000Z',
      ],
    ]);
    expect(parse(message('2025-12-31T12:00:00.000Z', produced)).valid).toHaveLength(1);
  });

  it('keeps the source position of valid events', () => {
    const r = parseBatch([message('2026-01-01T00:00:00Z', '-1', '41')], {
      topic: 'svc',
      partition: 3,
      kind: 'service',
      receivedAt: RECEIVED,
    });
    expect(r.valid).toEqual([
      expect.objectContaining({
        topic: 'svc',
        partition: 3,
        offset: '41',
        occurredAtMs: Date.parse('2026-01-01T00:00:00Z'),
      }),
    ]);
  });
});

describe('parseBatch: the event-time progress an event may contribute (progressMs)', () => {
  const ms = (iso: string) => Date.parse(iso);
  const progressOf = (occurredAt: string, timestamp: string) => {
    const r = parse(message(occurredAt, timestamp));
    expect(r.rejected).toEqual([]);
    return r.valid.map((v) => [v.occurredAtMs, v.progressMs]);
  };

  it('an event stamped before it reached Kafka progresses to its own time', () => {
    const produced = String(ms('2026-01-01T11:00:00Z'));
    expect(progressOf('2026-01-01T10:00:00.000Z', produced)).toEqual([
      [ms('2026-01-01T10:00:00Z'), ms('2026-01-01T10:00:00Z')],
    ]);
  });

  it('a producer clock running ahead progresses only to the Kafka timestamp; its own time is kept', () => {
    const produced = String(ms('2026-01-01T11:00:00Z'));
    expect(progressOf('2026-01-02T07:00:00.000Z', produced)).toEqual([
      [ms('2026-01-02T07:00:00Z'), ms('2026-01-01T11:00:00Z')],
    ]);
  });

  it('a Kafka timestamp after arrival is capped at arrival', () => {
    const produced = String(RECEIVED.getTime() + 5 * 3_600_000);
    expect(progressOf('2026-01-01T20:00:00.000Z', produced)).toEqual([
      [ms('2026-01-01T20:00:00Z'), RECEIVED.getTime()],
    ]);
  });

  it('without a Kafka timestamp, arrival bounds it', () => {
    expect(progressOf('2026-01-02T06:00:00.000Z', '-1')).toEqual([
      [ms('2026-01-02T06:00:00Z'), RECEIVED.getTime()],
    ]);
  });

  it('is the same when the message is read again later (a replay): the Kafka timestamp decides', () => {
    const produced = String(ms('2026-01-01T11:00:00Z'));
    const later = parseBatch([message('2026-01-02T07:00:00.000Z', produced)], {
      topic: 'service',
      partition: 0,
      kind: 'service',
      receivedAt: new Date('2027-06-01T00:00:00Z'),
    });
    expect(later.valid.map((v) => v.progressMs)).toEqual([ms('2026-01-01T11:00:00Z')]);
  });
});
