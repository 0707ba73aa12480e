import type { Consumer, KafkaMessage } from 'kafkajs';
import { ev, ingestHarness, testConfig, waitFor, type IngestHarness } from '../../support';

const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
const valid = (i: number) =>
  JSON.stringify(
    ev(`ok-${i}`, 'parts.sold', '2026-01-01T00:00:00Z', {
      invoiceId: `i-${i}`,
      customerId: 'c1',
      branchId: 'b1',
      amount: 10 + i,
      currency: 'EUR',
    }),
  );
const base = { eventId: 'bad', occurredAt: '2026-01-01T00:00:00Z', dealerId: 'd1' };
const wo = {
  workOrderId: 'w',
  customerId: 'c',
  branchId: 'b',
  kind: 'repair',
  laborAmount: 1,
  partsAmount: 1,
  currency: 'EUR',
};
const j = (o: unknown) => JSON.stringify(o);

/** [label, raw value, expected x-error-code, text the message must contain] */
const CORPUS: [string, string | null, string, string][] = [
  ['not JSON', '{"eventId": ', 'INVALID_JSON', 'JSON'],
  ['empty', '', 'EMPTY_MESSAGE', 'empty'],
  ['null value (tombstone)', null, 'EMPTY_MESSAGE', 'empty'],
  ['JSON array', '[1,2]', 'NOT_AN_OBJECT', 'object'],
  ['unknown type', j({ ...base, type: 'machine.exploded', data: {} }), 'UNKNOWN_TYPE', 'machine.exploded'],
  [
    'telematics type on service topic',
    j({ ...base, type: 'telematics.snapshot', data: { serialNumber: 's' } }),
    'TYPE_NOT_ALLOWED_ON_TOPIC',
    'telematics',
  ],
  [
    'missing eventId',
    j({
      ...base,
      eventId: undefined,
      type: 'complaint.resolved',
      data: { complaintId: 'k', customerId: 'c' },
    }),
    'SCHEMA_INVALID',
    'eventId',
  ],
  [
    'eventId too long',
    j({
      ...base,
      eventId: 'x'.repeat(129),
      type: 'complaint.resolved',
      data: { complaintId: 'k', customerId: 'c' },
    }),
    'SCHEMA_INVALID',
    'eventId',
  ],
  [
    'missing dealerId',
    j({
      ...base,
      dealerId: undefined,
      type: 'complaint.resolved',
      data: { complaintId: 'k', customerId: 'c' },
    }),
    'SCHEMA_INVALID',
    'dealerId',
  ],
  [
    'missing data field',
    j({ ...base, type: 'complaint.resolved', data: { complaintId: 'k' } }),
    'SCHEMA_INVALID',
    'data.customerId',
  ],
  [
    'wrong type of field',
    j({
      ...base,
      type: 'parts.sold',
      data: { invoiceId: 1, customerId: 'c', branchId: 'b', amount: 1, currency: 'EUR' },
    }),
    'SCHEMA_INVALID',
    'data.invoiceId',
  ],
  [
    'NPS 11',
    j({ ...base, type: 'survey.responded', data: { surveyId: 's', customerId: 'c', nps: 11 } }),
    'SCHEMA_INVALID',
    'data.nps',
  ],
  [
    'CES 0',
    j({ ...base, type: 'survey.responded', data: { surveyId: 's', customerId: 'c', ces: 0 } }),
    'SCHEMA_INVALID',
    'data.ces',
  ],
  [
    'negative amount',
    j({
      ...base,
      type: 'parts.sold',
      data: { invoiceId: 'i', customerId: 'c', branchId: 'b', amount: -5, currency: 'EUR' },
    }),
    'SCHEMA_INVALID',
    'data.amount',
  ],
  [
    'bad currency',
    j({
      ...base,
      type: 'parts.sold',
      data: { invoiceId: 'i', customerId: 'c', branchId: 'b', amount: 5, currency: 'euro' },
    }),
    'SCHEMA_INVALID',
    'data.currency',
  ],
  [
    'unknown work-order kind',
    j({ ...base, type: 'work-order.closed', data: { ...wo, kind: 'magic' } }),
    'SCHEMA_INVALID',
    'data.kind',
  ],
  [
    'negative downtime',
    j({ ...base, type: 'work-order.closed', data: { ...wo, downtimeHours: -1 } }),
    'SCHEMA_INVALID',
    'data.downtimeHours',
  ],
  [
    'future timestamp beyond 24 h',
    j({
      ...base,
      occurredAt: future,
      type: 'complaint.resolved',
      data: { complaintId: 'k', customerId: 'c' },
    }),
    'OCCURRED_AT_IN_FUTURE',
    'occurredAt',
  ],
  [
    'timestamp without offset',
    j({
      ...base,
      occurredAt: '2026-01-01T00:00:00',
      type: 'complaint.resolved',
      data: { complaintId: 'k', customerId: 'c' },
    }),
    'INVALID_TIMESTAMP',
    'occurredAt',
  ],
  [
    'impossible date',
    j({
      ...base,
      occurredAt: '2026-02-30T00:00:00Z',
      type: 'complaint.resolved',
      data: { complaintId: 'k', customerId: 'c' },
    }),
    'INVALID_TIMESTAMP',
    'occurredAt',
  ],
  [
    'schemaVersion 2',
    j({ ...base, schemaVersion: 2, type: 'complaint.resolved', data: { complaintId: 'k', customerId: 'c' } }),
    'UNSUPPORTED_SCHEMA_VERSION',
    'schemaVersion',
  ],
  [
    'NUL in a string (Postgres text cannot hold it)',
    j({ ...base, type: 'survey.responded', data: { surveyId: 's', customerId: 'c', comment: 'a\u0000b' } }),
    'SCHEMA_INVALID',
    'data.comment: must not contain NUL',
  ],
  [
    'year 0 timestamp (Postgres cannot hold it)',
    j({
      ...base,
      occurredAt: '0000-06-01T00:00:00Z',
      type: 'complaint.resolved',
      data: { complaintId: 'k', customerId: 'c' },
    }),
    'INVALID_TIMESTAMP',
    'occurredAt',
  ],
  ['data not an object', j({ ...base, type: 'complaint.resolved', data: 'x' }), 'SCHEMA_INVALID', 'data'],
  [
    'oversize (> 1 MiB)',
    j({
      ...base,
      type: 'complaint.resolved',
      data: { complaintId: 'k', customerId: 'c', pad: 'x'.repeat(1_100_000) },
    }),
    'TOO_LARGE',
    'bytes',
  ],
];

describe('dead-lettering (real Kafka and Postgres)', () => {
  const config = testConfig();
  const dlq = `${config.topics.service}.dlq`;
  let h: IngestHarness;
  let dlqConsumer: Consumer;
  const received: KafkaMessage[] = [];

  beforeAll(async () => {
    h = await ingestHarness(config);
    dlqConsumer = h.kafka.consumer({
      groupId: `${config.kafka.groupId}-dlq-reader`,
      maxBytesPerPartition: 4_000_000,
    });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: dlq, fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: ({ message }) => {
        received.push(message);
        return Promise.resolve();
      },
    });
    await h.startConsumer();
  });
  afterAll(async () => {
    await dlqConsumer.disconnect();
    await h.close();
  });

  it(`sends each of ${CORPUS.length} kinds of bad input to the DLQ unchanged, with code and headers, and applies the valid neighbours`, async () => {
    // Everything on one key → one partition, bad and good messages interleaved in one stream.
    const messages = CORPUS.flatMap(([label, value], i) => [
      { key: 'same-key', value: valid(i), headers: { 'x-test': 'valid' } },
      { key: 'same-key', value, headers: { 'x-label': label } },
    ]);
    const producer = h.kafka.producer();
    await producer.connect();
    const [ack] = await producer.send({ topic: config.topics.service, messages });
    await producer.disconnect();

    await waitFor('all rejects in the DLQ', () => received.length >= CORPUS.length, 60_000);
    expect(received).toHaveLength(CORPUS.length);
    const firstOffset = Number(ack.baseOffset);
    for (const [i, [label, value, code, mentions]] of CORPUS.entries()) {
      const m = received.find((r) => r.headers?.['x-label']?.toString() === label);
      expect(m).toBeDefined();
      const h = (k: string) => m!.headers?.[k]?.toString();
      expect([label, h('x-error-code')]).toEqual([label, code]);
      expect(h('x-error-message')).toContain(mentions);
      expect(h('x-source-topic')).toBe(config.topics.service);
      expect(h('x-source-partition')).toBe(String(ack.partition));
      expect(h('x-source-offset')).toBe(String(firstOffset + 2 * i + 1));
      expect(Number.isNaN(Date.parse(h('x-failed-at')!))).toBe(false);
      expect(m!.key?.toString()).toBe('same-key');
      expect(value === null ? m!.value : m!.value?.toString()).toEqual(value === null ? null : value);
    }
    const sales = await h.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${config.database.schema}.parts_sales`,
    );
    expect(sales[0].n).toBe(CORPUS.length);
  });
});
