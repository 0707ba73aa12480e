import { randomBytes } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { dlqTopic } from '@rp/config';
import type { BatchConsumer } from '@rp/ingest';
import { ingestHarness, readFromBeginning, testConfig, waitFor, type IngestHarness } from '../../support';

/**
 * A full fetch of rejects of one key: their DLQ copies (input + headers) together exceed the DLQ topic's
 * max.message.bytes if sent as one record batch. They go out in sends of bounded size: all dead-lettered,
 * the offsets committed, the consumer never crashes.
 */
describe('dead-lettering a full fetch of one key’s rejects (real Kafka)', () => {
  const config = testConfig();
  const topic = config.topics.service;
  const dlq = dlqTopic(topic);
  const KEY = 'PC200-10001';
  let h: IngestHarness;
  let admin: Admin;
  let consumer: BatchConsumer;

  const committed = async () => {
    const [c] = await admin.fetchOffsets({ groupId: config.kafka.groupId, topics: [topic] });
    return c.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  };

  /** Produces `values` with one key, in sends of `perSend`; the first offset. */
  const produce = async (values: Buffer[], perSend = values.length) => {
    let first = -1;
    for (let i = 0; i < values.length; i += perSend) {
      const [ack] = await h.producer.send({
        topic,
        acks: -1,
        messages: values.slice(i, i + perSend).map((value) => ({ key: KEY, value })),
      });
      if (first < 0) first = Number(ack.baseOffset);
    }
    return first;
  };

  /** Waits until the `values` from `first` on are committed; their DLQ copies, in offset order. */
  const deadLetters = async (values: Buffer[], first: number, seen: number) => {
    await waitFor('the batch committed', async () => (await committed()) === seen + values.length, 60_000);
    const copies = await readFromBeginning(h.kafka, [dlq], seen + values.length, { settleMs: 500 });
    const byOffset = new Map(
      copies.map((c) => [Number(c.message.headers?.['x-source-offset']?.toString()), c.message]),
    );
    return Array.from({ length: values.length }, (_, i) => byOffset.get(first + i));
  };

  beforeAll(async () => {
    h = await ingestHarness(config);
    admin = h.kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
    await h.close();
  });

  it('the DLQ topic allows a copy of the largest input plus room for its headers', async () => {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: dlq, configNames: ['max.message.bytes'] }],
    });
    expect(described.resources[0].configEntries[0].configValue).toBe(
      String(config.topics.inputMaxMessageBytes + 16_384),
    );
  });

  it('a fetch of 2 MiB of small incompressible rejects of one key (≈ 30,000) all reach the DLQ', async () => {
    // Produced before the consumer starts: its first fetches are full (2 MiB of one partition). The copies'
    // headers alone (≈ 250 bytes each, compressed to a few dozen) then push a single send past the limit.
    const values = Array.from({ length: 40_000 }, () => randomBytes(40));
    const first = await produce(values, 10_000);
    consumer = await h.startConsumer();
    const copies = await deadLetters(values, first, 0);
    expect(copies.filter((c) => c === undefined)).toHaveLength(0);
    expect(copies.every((c, i) => c!.value!.equals(values[i]))).toBe(true);
    // Neither a crash nor a retried batch: both set lastError.
    expect(consumer.lastError).toBeUndefined();
    expect(consumer.state).toBe('running');
  });

  it('3,000 rejected snapshots of one machine (627 bytes each, one fetch) all reach the DLQ', async () => {
    const pad = 'x'.repeat(477);
    const values = Array.from({ length: 3000 }, (_, i) =>
      Buffer.from(
        JSON.stringify({
          eventId: `t-${String(i).padStart(4, '0')}`,
          type: 'telematics.snapshot', // not allowed on service.events: rejected
          occurredAt: '2026-01-01T00:00:00Z',
          dealerId: 'd1',
          data: { serialNumber: KEY, model: pad },
        }),
      ),
    );
    expect(values[0].length).toBe(627);
    const copies = await deadLetters(values, await produce(values), 40_000);
    expect(copies.filter((c) => c === undefined)).toHaveLength(0);
    expect(copies.every((c, i) => c!.value!.equals(values[i]))).toBe(true);
    expect(new Set(copies.map((c) => c!.headers?.['x-error-code']?.toString()))).toEqual(
      new Set(['TYPE_NOT_ALLOWED_ON_TOPIC']),
    );
    expect(copies.every((c) => c!.key?.toString() === KEY)).toBe(true);
    // Neither a crash nor a retried batch: both set lastError.
    expect(consumer.lastError).toBeUndefined();
    expect(consumer.state).toBe('running');
  });
});
