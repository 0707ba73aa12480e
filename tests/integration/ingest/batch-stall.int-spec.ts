import type { Admin, Producer } from 'kafkajs';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { dlqTopic } from '@rp/config';
import { createDataSource } from '@rp/database';
import { BatchConsumer, createIngestHandler } from '@rp/ingest';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { Metrics, type Logger } from '@rp/observability';
import { countProcessed, ev, testConfig, useMigratedSchema, waitFor } from '../../support';

/** A logger keeping `level msg` lines (the fields may be looked at through `fields`). */
const capture = () => {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    lines.push({ level, msg, fields });
  const logger = { error: at('error'), warn: at('warn'), info: at('info'), debug() {} } as unknown as Logger;
  return { lines, logger };
};

/**
 * A batch the database keeps refusing for a reason `SELECT 1` does not see (privileges, a lock or statement
 * timeout): the consumer retries it in place for ever, never dead-letters or skips it, and reports itself
 * down (`problem()`, which the ingest health probe returns) with the partition, how long and the error; the
 * batch passes once the cause is gone.
 */
describe('a batch the database keeps refusing stalls ingest visibly (real Kafka + Postgres)', () => {
  const config = testConfig();
  const t = config.topics;
  const schema = config.database.schema;
  const ds = createDataSource(config.database);
  useMigratedSchema(ds, schema);
  let admin: Admin;
  let producer: Producer;
  const consumers: BatchConsumer[] = [];

  beforeAll(async () => {
    const kafka = createKafka(config.kafka);
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topicSpecs(t));
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await producer.disconnect();
    await admin.disconnect();
  });

  const startConsumer = async (topic: string, groupId: string, on: DataSource) => {
    const metrics = new Metrics(false);
    const { lines, logger } = capture();
    const consumer = new BatchConsumer(createKafka(config.kafka), {
      groupId,
      topics: [topic],
      logger,
      metrics,
      handle: createIngestHandler({
        ds: on,
        producer,
        metrics,
        logger,
        topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
        dlqTopicOf: dlqTopic,
      }),
    });
    consumers.push(consumer);
    await consumer.start();
    const samples = async (name: string) =>
      (await metrics.registry.getSingleMetricAsString(name)).split('\n').filter((l) => !l.startsWith('#'));
    return { consumer, lines, samples };
  };
  const committed = async (groupId: string, topic: string) => {
    const [c] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return c.partitions.map((p) => p.offset);
  };
  const size = async (topic: string) =>
    (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  const sale = (id: string) =>
    JSON.stringify(
      ev(id, 'parts.sold', '2026-01-01T00:00:00Z', {
        invoiceId: id,
        customerId: 'c1',
        branchId: 'b1',
        amount: 10,
        currency: 'EUR',
      }),
    );

  it('insufficient privilege (42501): down at once naming it, nothing dead-lettered or committed; GRANT and it catches up', async () => {
    const groupId = `${config.kafka.groupId}-revoked`;
    const topic = t.service;
    await ds.query(`REVOKE INSERT ON ${schema}.processed_events FROM CURRENT_USER`);
    const c = await startConsumer(topic, groupId, ds);
    await producer.send({
      topic,
      acks: -1,
      messages: [sale('s-1'), '{"not json', sale('s-2')].map((value) => ({ key: 'k', value, partition: 0 })),
    });

    const down = await waitFor('ingest reported down', () => c.consumer.problem());
    expect(down).toMatch(
      new RegExp(
        `^retrying ${topic.replace(/\./g, '\\.')}:0 for \\d+ s \\(\\d+ failed attempts, misconfiguration\\): ` +
          '42501 permission denied for table processed_events \\(the database refuses it: fix privileges or schema; retried until then\\)$',
      ),
    );
    await new Promise((r) => setTimeout(r, 3_500)); // more retries (back-off 200 ms, 400 ms, … 1.6 s)
    expect(c.consumer.problem()).toMatch(
      /^retrying .*:0 for [1-9] s \([4-6] failed attempts, misconfiguration\)/,
    );
    expect(await countProcessed(ds, schema)).toBe(0);
    expect(await committed(groupId, topic)).toEqual(['-1', '-1', '-1']);
    expect(await size(dlqTopic(topic))).toBe(0); // the invalid message waits with its batch
    const errors = c.lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => [l.msg, l.fields.attempts])).toEqual([
      ['ingest batch stalled: retrying it until the database accepts it (never skipped)', 1],
    ]);
    const [retries] = await c.samples('rp_ingest_batch_retries_total');
    expect(retries).toMatch(
      new RegExp(`^rp_ingest_batch_retries_total\\{topic="${topic}",kind="misconfiguration"\\} [4-6]$`),
    );
    expect(await c.samples('rp_ingest_last_commit_timestamp_seconds')).toEqual([]);

    await ds.query(`GRANT INSERT ON ${schema}.processed_events TO CURRENT_USER`);
    await waitFor('the batch committed', async () => (await committed(groupId, topic))[0] === '3', 30_000);
    expect(c.consumer.problem()).toBeUndefined();
    expect(await countProcessed(ds, schema)).toBe(2);
    expect(await size(dlqTopic(topic))).toBe(1);
    expect(await c.samples('rp_ingest_rejected_total')).toEqual([
      `rp_ingest_rejected_total{topic="${topic}",code="INVALID_JSON"} 1`,
    ]);
    expect(await c.samples('rp_ingest_consumer_lag')).toEqual([
      `rp_ingest_consumer_lag{topic="${topic}",partition="0"} 0`,
    ]);
    const [lastCommit] = await c.samples('rp_ingest_last_commit_timestamp_seconds');
    const at = Number(/ (\S+)$/.exec(lastCommit)![1]);
    expect(Math.abs(at - Date.now() / 1000)).toBeLessThan(30);
    expect(c.lines.filter((l) => l.level === 'info').map((l) => l.msg)).toEqual([
      'ingest batch stall over: the batch passed',
    ]);
  });

  it('a lock timeout (55P03, transient) is reported after 5 failed attempts; released, the batch passes', async () => {
    const groupId = `${config.kafka.groupId}-locked`;
    const topic = t.telematics;
    // The consumer's connections give up waiting for a lock after 200 ms, as with a lock_timeout in production.
    const base = ds.options as DataSourceOptions & { extra: { options: string } };
    const impatient = new DataSource({
      ...base,
      extra: { ...base.extra, options: `${base.extra.options} -c lock_timeout=200` },
    });
    await impatient.initialize();
    const holder = ds.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`LOCK TABLE ${schema}.processed_events IN ACCESS EXCLUSIVE MODE`);
      const c = await startConsumer(topic, groupId, impatient);
      const snapshot = ev('snap-1', 'telematics.snapshot', '2026-03-02T08:00:00Z', {
        serialNumber: 'SN-1',
        cumulativeOperatingHours: 100,
      });
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: 'SN-1', value: JSON.stringify(snapshot), partition: 0 }],
      });

      await waitFor('the first retry', () => c.lines.some((l) => l.level === 'warn'));
      expect(c.consumer.problem()).toBeUndefined(); // one failed attempt: not stalled yet
      const down = await waitFor('ingest reported down', () => c.consumer.problem(), 30_000, 100);
      expect(down).toMatch(
        new RegExp(
          `^retrying ${topic.replace(/\./g, '\\.')}:0 for \\d+ s \\(5 failed attempts, transient\\): ` +
            '55P03 canceling statement due to lock timeout$',
        ),
      );
      expect(c.lines.map((l) => l.level)).toEqual(['warn', 'warn', 'warn', 'warn', 'error']);
      expect(await committed(groupId, topic)).toEqual(['-1', '-1', '-1']);

      await holder.rollbackTransaction();
      await waitFor('the batch committed', async () => (await committed(groupId, topic))[0] === '1', 30_000);
      expect(c.consumer.problem()).toBeUndefined();
      expect(c.lines.map((l) => l.level)).toEqual(['warn', 'warn', 'warn', 'warn', 'error', 'info']);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
      await Promise.all(consumers.map((c) => c.stop()));
      consumers.length = 0;
      await impatient.destroy();
    }
  });
});
