import { Queue } from 'bullmq';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { createDataSource } from '@rp/database';
import { relayDecisions } from '@rp/followups';
import { publishDecisions } from '@rp/ingest';
import { createKafka, publishOutbox } from '@rp/kafka';
import { createRedis } from '@rp/queue';
import { readFromBeginning, testConfig, useMigratedSchema } from '../../support';
import { valuedDecision } from '../followups/harness';

/**
 * The decisions publisher holds no outbox row lock while it talks to Kafka: it leases rows, sends, then
 * marks them. A slow or failing send never delays the followups relay (which SKIP LOCKs the same rows),
 * and a publisher that dies between the send and the mark has its rows sent again, once, when the lease
 * runs out — the same key, value and id header, so consumers de-duplicate.
 */
describe('outbox publisher leases rows instead of locking them across the send (real Postgres, Redis, Kafka)', () => {
  const config = testConfig();
  const topic = config.topics.decisions;
  const ds = createDataSource({ ...config.database, poolSize: 4 });
  const connection = createRedis(config.redis.url);
  const queue = new Queue('publisher-lease', { connection, prefix: config.redis.queuePrefix });
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  useMigratedSchema(ds, config.database.schema);

  beforeAll(async () => {
    kafka = createKafka(config.kafka);
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 5 } });
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
  });
  beforeEach(() => ds.query('TRUNCATE outbox'));

  const insertDecision = async (customerId: string) => {
    const d = valuedDecision({ customerId });
    await ds.query(
      `INSERT INTO outbox (dealer_id, kind, dedup_key, payload) VALUES ($1, 'decision', $2, $3)`,
      [d.dealerId, d.id, JSON.stringify(d)],
    );
    return d;
  };
  const published = async () =>
    (
      await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NOT NULL`)
    )[0].n;

  it('the relay dispatches a decision at once while its Kafka send hangs, and the send still marks it', async () => {
    await insertDecision('c-slow');
    let release!: () => void;
    const sending = new Promise<void>((r) => (release = r));
    let sent = 0;
    const slow = {
      send: async () => {
        await sending; // Kafka not answering
        sent++;
        return [];
      },
    } as unknown as Producer;
    const publishing = publishDecisions(ds, slow, topic);
    try {
      await new Promise((r) => setTimeout(r, 200)); // the send is waiting
      const started = performance.now();
      expect(await relayDecisions(ds, queue, 200)).toEqual({ sent: 1, waiting: false });
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    } finally {
      release();
    }
    expect(await publishing).toBe(1);
    expect(sent).toBe(1);
    expect(await published()).toBe(1);
  });

  it('a failed send frees its rows at once: the next attempt sends them', async () => {
    await insertDecision('c-fail');
    const failing = {
      send: () => Promise.reject(new Error('This server does not host this topic-partition')),
    } as unknown as Producer;
    await expect(publishDecisions(ds, failing, topic)).rejects.toThrow('does not host');
    expect(
      await ds.query(`SELECT publishing_until, published_at FROM outbox WHERE kind = 'decision'`),
    ).toEqual([{ publishing_until: null, published_at: null }]);
    expect(await publishDecisions(ds, producer, topic)).toBe(1);
    expect(await published()).toBe(1);
  });

  it('a publisher dying between the send and the mark has its rows sent again, once, after the lease', async () => {
    const d = await insertDecision('c-crash');
    const o = { kind: 'decision', topic, idHeader: 'x-decision-id', leaseMs: 1_000 };
    // Sends for real, then never comes back (the process died before marking); `bury` ends it after the test.
    let bury!: (err: Error) => void;
    const dying = {
      send: async (r: Parameters<Producer['send']>[0]) => {
        await producer.send(r);
        return new Promise((_, reject) => (bury = reject));
      },
    } as unknown as Producer;
    const dead = publishOutbox(ds, dying, o).catch(() => undefined);
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(await publishOutbox(ds, producer, o)).toBe(0); // leased: not sent twice meanwhile
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await publishOutbox(ds, producer, o)).toBe(1); // lease ran out: sent again
      expect(await publishOutbox(ds, producer, o)).toBe(0);
      expect(await published()).toBe(1);
    } finally {
      bury(new Error('process gone'));
      await dead;
    }

    const read = await readFromBeginning(kafka, [topic], 3, { settleMs: 500 });
    expect(read).toHaveLength(3); // c-fail once, c-crash twice
    const mine = read.filter((m) => m.message.key?.toString() === 'c-crash');
    expect(mine).toHaveLength(2);
    for (const m of mine) {
      expect(m.message.headers?.['x-decision-id']?.toString()).toBe(d.id);
      expect(JSON.parse(m.message.value!.toString())).toEqual(d);
    }
  });
});
