import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { testConfig } from '../support';

describe('kafka round trip through topics created by the topics command', () => {
  const config = testConfig();
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    kafka = createKafka(config.kafka);
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });

  it('creates every topic once, with unlimited retention on inputs, and is idempotent', async () => {
    const first = await ensureTopics(admin, topicSpecs(config.topics));
    expect(first.created).toHaveLength(8);
    const second = await ensureTopics(admin, topicSpecs(config.topics));
    expect(second.created).toEqual([]);
    expect(second.existing).toHaveLength(8);

    const meta = await admin.fetchTopicMetadata({ topics: [config.topics.telematics] });
    expect(meta.topics[0].partitions).toHaveLength(3);
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: config.topics.telematics, configNames: ['retention.ms'] }],
    });
    expect(described.resources[0].configEntries[0].configValue).toBe('-1');
  });

  it('a consumer group commits, and a restarted member resumes from the committed offset', async () => {
    const topic = config.topics.warranty;
    const group = `${config.kafka.groupId}-resume`;
    await producer.send({
      topic,
      messages: Array.from({ length: 10 }, (_, i) => ({ key: `m${i % 3}`, value: `a${i}` })),
    });

    const consumeUntil = async (count: number): Promise<string[]> => {
      const seen = new Set<string>(); // at-least-once: a rebalance may redeliver
      const consumer: Consumer = kafka.consumer({ groupId: group });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) seen.add(m.value!.toString());
          const next = (BigInt(batch.lastOffset()) + 1n).toString();
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: next }]);
          if (seen.size >= count) done();
        },
      });
      await finished;
      await consumer.disconnect();
      return [...seen];
    };

    const firstRun = await consumeUntil(10);
    expect(firstRun.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`).sort());

    await producer.send({
      topic,
      messages: [
        { key: 'm1', value: 'b0' },
        { key: 'm2', value: 'b1' },
      ],
    });
    const secondRun = await consumeUntil(2);
    expect(secondRun.sort()).toEqual(['b0', 'b1']);

    // Committed = the end of every partition: everything read was committed (a retrying producer may
    // have written a message twice, so the count of records is not asserted, the offsets are).
    const committed = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const byPartition = (list: { partition: number; offset: string }[]) =>
      Object.fromEntries(list.map((p) => [p.partition, p.offset === '-1' ? '0' : p.offset]));
    expect(byPartition(committed[0].partitions)).toEqual(byPartition(ends));
    expect(ends.reduce((n, p) => n + Number(p.offset), 0)).toBeGreaterThanOrEqual(12);
  });

  it('raises the partition count when the configuration asks for more', async () => {
    const more = topicSpecs({ ...config.topics, partitions: 4 });
    const report = await ensureTopics(admin, more);
    expect(report.partitionsIncreased).toHaveLength(8);
    const meta = await admin.fetchTopicMetadata({ topics: [config.topics.service] });
    expect(meta.topics[0].partitions).toHaveLength(4);
  });
});
