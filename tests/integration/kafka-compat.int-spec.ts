import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { createKafka } from '@rp/kafka';
import { testConfig, waitFor } from '../support';

/**
 * The kafkajs 2.2.4 features the pipeline relies on, against the broker started by scripts/stack.sh.
 * These checks chose the Kafka version pinned there (README, "Kafka version").
 */
describe('kafkajs 2.2.4 against the stack broker', () => {
  const config = testConfig();
  const topic = `compat.${config.kafka.groupId}`;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    kafka = createKafka(config.kafka);
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });
  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('admin createTopics', async () => {
    await expect(
      admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true }),
    ).resolves.toBe(true);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(4);
  });

  it('produce with explicit timestamps, then fetchTopicOffsetsByTimestamp', async () => {
    const t1 = Date.UTC(2025, 0, 1);
    const t2 = Date.UTC(2025, 6, 1);
    const batch = (ts: number, tag: string) =>
      Array.from({ length: 4 }, (_, p) => ({
        partition: p,
        key: `${tag}${p}`,
        value: tag,
        timestamp: String(ts),
      }));
    const acks = await producer.send({ topic, messages: [...batch(t1, 'old'), ...batch(t2, 'new')] });
    expect(acks.every((a) => a.errorCode === 0)).toBe(true);

    const byTs = await admin.fetchTopicOffsetsByTimestamp(topic, t2);
    expect(byTs.sort((a, b) => a.partition - b.partition)).toEqual(
      [0, 1, 2, 3].map((partition) => ({ partition, offset: '1' })),
    );
    const afterAll = await admin.fetchTopicOffsetsByTimestamp(topic, t2 + 1);
    expect(afterAll.every((p) => p.offset === '2')).toBe(true);
  });

  it('consumer group join, rebalance to a second member, and offset commit', async () => {
    const groupId = `${config.kafka.groupId}-compat`;
    const assignments: Record<string, number[]> = {};
    const seen = new Set<string>();
    const member = async (name: string): Promise<Consumer> => {
      const c = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500 });
      c.on(c.events.GROUP_JOIN, (e) => {
        assignments[name] = e.payload.memberAssignment[topic] ?? [];
      });
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({
        eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
          for (const m of batch.messages) {
            seen.add(`${batch.partition}:${m.offset}`);
            resolveOffset(m.offset);
          }
          await commitOffsetsIfNecessary();
        },
      });
      return c;
    };

    const a = await member('a');
    await waitFor('first member to own all partitions', () => assignments.a?.length === 4);
    const b = await member('b');
    await waitFor(
      'rebalance across two members',
      () => assignments.b?.length > 0 && assignments.a.length < 4,
    );
    expect([...assignments.a, ...assignments.b].sort()).toEqual([0, 1, 2, 3]);
    await waitFor('all 8 messages consumed', () => seen.size === 8);
    await waitFor('offsets committed', async () => {
      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      return offsets[0].partitions.every((p) => p.offset === '2');
    });
    await Promise.all([a.disconnect(), b.disconnect()]);
  });
});
