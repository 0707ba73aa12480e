import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { dlqTopic } from '@rp/config';
import { createDataSource } from '@rp/database';
import { BatchConsumer, createIngestHandler, type BatchContext } from '@rp/ingest';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { Metrics, type Logger } from '@rp/observability';
import { countProcessed, ev, testConfig, useMigratedSchema, waitFor } from '../../support';
import { brokerForwarder, type BrokerForwarder } from './broker-forwarder';

const silent = { error() {}, warn() {}, info() {}, debug() {} } as unknown as Logger;

/** The ingest consumer against the real broker: start failing and recovering, and draining on stop. */
describe('ingest consumer lifecycle (real Kafka + Postgres)', () => {
  const config = testConfig();
  const t = config.topics;
  const ds = createDataSource(config.database);
  useMigratedSchema(ds, config.database.schema);
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let forwarder: BrokerForwarder;

  beforeAll(async () => {
    kafka = createKafka(config.kafka);
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topicSpecs(t));
    producer = kafka.producer();
    await producer.connect();
    forwarder = await brokerForwarder(config.kafka.brokers[0]);
  });
  afterAll(async () => {
    await forwarder.close();
    await producer.disconnect();
    await admin.disconnect();
  });

  const snapshots = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => {
      const e = ev(`snap-${from + i}`, 'telematics.snapshot', '2026-03-02T08:00:00Z', {
        serialNumber: `SN-${from + i}`,
        cumulativeOperatingHours: 100 + i,
      });
      return { key: e.data.serialNumber as string, value: JSON.stringify(e), partition: 0 };
    });

  it('a start that cannot reach Kafka leaves it crashed with the error; started again once Kafka is back, it runs', async () => {
    const unreachable = new Kafka({
      brokers: [forwarder.address],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      retry: { retries: 1, initialRetryTime: 50 },
    });
    const seen: string[] = [];
    const consumer = new BatchConsumer(unreachable, {
      groupId: `${config.kafka.groupId}-restart`,
      topics: [t.service],
      logger: silent,
      handle: (b) => {
        seen.push(...b.messages.map((m) => m.value!.toString()));
        return Promise.resolve();
      },
    });
    try {
      await expect(consumer.start()).rejects.toThrow(/ECONNREFUSED/);
      expect(consumer.state).toBe('crashed');
      expect(consumer.problem()).toMatch(
        new RegExp(`^consumer crashed: KafkaJS\\w+: .*ECONNREFUSED ${forwarder.address}`),
      );

      await forwarder.open();
      await consumer.start();
      expect(consumer.state).toBe('running');
      expect(consumer.problem()).toBeUndefined();
      await producer.send({ topic: t.service, messages: [{ key: 'k', value: 'after-recovery' }] });
      await waitFor('the message', () => seen.includes('after-recovery'));
    } finally {
      await consumer.stop();
      await forwarder.close();
    }
  });

  it('stop() during a batch lets it finish, commits it in Postgres and its offsets in Kafka', async () => {
    const groupId = `${config.kafka.groupId}-drain`;
    await producer.send({ topic: t.telematics, acks: -1, messages: snapshots(0, 10) });
    const handle = createIngestHandler({
      ds,
      producer,
      metrics: new Metrics(false),
      logger: silent,
      topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
      dlqTopicOf: dlqTopic,
    });
    let inFlight!: (b: BatchContext) => void;
    const started = new Promise<BatchContext>((r) => (inFlight = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handled: string[] = [];
    const consumer = new BatchConsumer(kafka, {
      groupId,
      topics: [t.telematics],
      logger: silent,
      handle: async (b) => {
        inFlight(b);
        await gate; // still running when stop() is called
        await handle(b);
        handled.push(`${b.partition}:${b.messages[0].offset}-${b.messages[b.messages.length - 1].offset}`);
      },
    });
    await consumer.start();
    const batch = await started;
    const stopping = consumer.stop();
    expect(consumer.state).toBe('stopping');
    await new Promise((r) => setTimeout(r, 300));
    release();
    await stopping;

    expect(consumer.state).toBe('stopped');
    expect(handled).toEqual(['0:0-9']);
    expect(batch.messages).toHaveLength(10);
    expect(await countProcessed(ds, config.database.schema)).toBe(10);
    const offsets = await admin.fetchOffsets({ groupId, topics: [t.telematics] });
    const byPartition = Object.fromEntries(offsets[0].partitions.map((p) => [p.partition, p.offset]));
    expect(byPartition).toEqual({ 0: '10', 1: '-1', 2: '-1' });
  });

  it('a batch whose handler fails while stopping is not committed', async () => {
    const groupId = `${config.kafka.groupId}-drain-failed`;
    let inFlight!: () => void;
    const started = new Promise<void>((r) => (inFlight = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const consumer = new BatchConsumer(kafka, {
      groupId,
      topics: [t.telematics],
      logger: silent,
      handle: async () => {
        inFlight();
        await gate;
        throw new Error('projection bug');
      },
    });
    await consumer.start();
    await started;
    const stopping = consumer.stop();
    release();
    await stopping;
    const offsets = await admin.fetchOffsets({ groupId, topics: [t.telematics] });
    expect(offsets[0].partitions.map((p) => p.offset)).toEqual(['-1', '-1', '-1']);
  });
});
