import { createDataSource, runMigrations } from '@rp/database';
import type { RiskRuntimeOptions } from '@rp/ingest';
import { createKafka, groupReadAll } from '@rp/kafka';
import { testConfig, testRiskRuntime } from '../../support';

/**
 * Time follows the wall clock only when the database says every partition is caught up and quiet AND
 * Kafka confirms the ingest group has read every partition to its end.
 */
describe('quiet wall-clock time', () => {
  const config = testConfig();
  const topic = config.topics.telematics;
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  const kafka = createKafka(config.kafka);
  const admin = kafka.admin();

  /** The ingest role's risk loop over this test's topic, watermark without lateness. */
  const riskRuntime = (o: Pick<RiskRuntimeOptions, 'quietMs' | 'tickMs' | 'readAll'>) =>
    testRiskRuntime(ds, config.topics.decisions, topic, o);
  const timers = async () =>
    Number((await ds.query<{ n: string }[]>('SELECT count(*) AS n FROM risk_timers'))[0].n);

  beforeAll(async () => {
    await ds.initialize();
    await runMigrations(ds);
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
    await ds.destroy();
  });

  it('groupReadAll follows the group’s committed offsets against the log end', async () => {
    const group = config.kafka.groupId;
    expect(await groupReadAll(admin, group, [topic])).toBe(true); // empty log
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [0, 1, 2].map((i) => ({ key: `k${i}`, value: 'x', partition: i % 2 })),
    });
    await producer.disconnect();
    expect(await groupReadAll(admin, group, [topic])).toBe(false);
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: [{ partition: ends[0].partition, offset: ends[0].high }],
    });
    expect(await groupReadAll(admin, group, [topic])).toBe(ends[1].high === ends[1].low);
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
    });
    expect(await groupReadAll(admin, group, [topic])).toBe(true);
  });

  it('a quiet database alone does not move time to the wall clock while Kafka still has unread events', async () => {
    await ds.query(
      `INSERT INTO stream_watermarks (topic, kafka_partition, max_event_at, caught_up, updated_at)
       VALUES ($1, 0, now() - interval '1 day', true, now() - interval '1 hour')`,
      [topic],
    );
    await ds.query(
      `INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES ('d1', 'c1', now() - interval '1 hour')`,
    );
    let readAll = false;
    const runtime = riskRuntime({ quietMs: 1_000, readAll: () => Promise.resolve(readAll) });
    await runtime.tick();
    expect(await timers()).toBe(1); // event time (a day ago, less the lateness) has not reached the timer
    readAll = true;
    await runtime.tick();
    expect(await timers()).toBe(0); // wall clock: due an hour ago, fired
  });

  it('a kick sweeps at once instead of at the next interval (caught-up batches hand their sweep over)', async () => {
    await ds.query('DELETE FROM risk_timers');
    await ds.query('DELETE FROM stream_watermarks');
    await ds.query(
      `INSERT INTO stream_watermarks (topic, kafka_partition, max_event_at, caught_up, updated_at)
       VALUES ($1, 0, '2025-07-01T00:00:00Z', true, now())`,
      [topic],
    );
    // Only a kick can sweep within this test.
    const runtime = riskRuntime({ quietMs: 3_600_000, tickMs: 3_600_000 });
    runtime.start();
    try {
      await ds.query(
        `INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES ('d1', 'c2', '2025-06-01T00:00:00Z')`,
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(await timers()).toBe(1); // no tick yet
      runtime.kick();
      const deadline = Date.now() + 5_000;
      while ((await timers()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await timers()).toBe(0);
    } finally {
      await runtime.stop();
    }
  });
});
