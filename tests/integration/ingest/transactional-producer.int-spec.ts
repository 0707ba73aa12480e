import type { Admin } from 'kafkajs';
import { dlqTopic, inputTopics, type AppConfig } from '@rp/config';
import { BatchConsumer, createIngestHandler, registerPartitions } from '@rp/ingest';
import { listPartitions, topicSpecs } from '@rp/kafka';
import { createLogger, Metrics } from '@rp/observability';
import { DEFAULT_RULE_SET } from '@rp/risk';
import {
  ev,
  ingestHarness,
  testConfig,
  uniqueSuffix,
  waitFor,
  type Ev,
  type IngestHarness,
} from '../../support';

const MIN = 60_000;
const DAY = 86_400_000;

/**
 * Producers we do not control (EVENTS.md) may write in transactions (exactly-once): a commit or abort marker
 * follows their data, so a partition's log end is past its last message. A partition read up to such a
 * marker is caught up, and the group's committed offset reaches the log end; otherwise the detection clock
 * waits for it for ever and live timers (even DETRACTOR) stop firing.
 */
describe('ingest from a transactional producer (real Kafka)', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const now = Date.now();
  const history = (): Ev[] => [
    ev('wr', 'warranty.registered', iso(now - 2 * DAY), {
      serialNumber: 'S1',
      customerId: 'c1',
      branchId: 'b1',
      model: 'PC200-8',
      startsAt: iso(now - 2 * DAY).slice(0, 10),
      endsAt: iso(now + 300 * DAY).slice(0, 10),
    }),
    ev('cu', 'customer.upserted', iso(now - 3 * DAY), { customerId: 'c1', name: 'C', branchId: 'b1' }),
    ev('sv', 'survey.responded', iso(now - 10 * MIN), {
      surveyId: 'sv1',
      customerId: 'c1',
      nps: 2,
      comment: 'bad',
    }),
  ];
  const message = (e: Ev) => ({
    key: (e.data.serialNumber ?? e.data.customerId) as string,
    value: JSON.stringify(e),
  });

  let config: AppConfig;
  let h: IngestHarness;
  let admin: Admin;
  const own: BatchConsumer[] = [];

  beforeEach(async () => {
    config = testConfig({ TOPIC_PARTITIONS: '1' });
    h = await ingestHarness(config, { ruleSet: DEFAULT_RULE_SET, allowedLatenessMs: 0 });
    admin = h.kafka.admin();
    await admin.connect();
  });
  afterEach(async () => {
    await Promise.all(own.splice(0).map((c) => c.stop()));
    await h.close();
    await admin
      .deleteTopics({ topics: topicSpecs(config.topics).map((s) => s.topic) })
      .catch(() => undefined);
    await admin.deleteGroups([config.kafka.groupId]).catch(() => undefined);
    await admin.disconnect();
  });

  /** Sends in one transaction, then commits or aborts it. */
  async function inTransaction(
    topicMessages: { topic: string; messages: ReturnType<typeof message>[] }[],
    commit: boolean,
  ) {
    const p = h.kafka.producer({
      transactionalId: `tx-${uniqueSuffix()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await p.connect();
    const tx = await p.transaction();
    await tx.sendBatch({ topicMessages });
    await (commit ? tx.commit() : tx.abort());
    await p.disconnect();
  }

  async function offsets(topics: string[]) {
    const committed = await admin.fetchOffsets({ groupId: config.kafka.groupId, topics });
    return Promise.all(
      topics.map(async (topic) => ({
        topic,
        committed: committed.find((c) => c.topic === topic)!.partitions.map((p) => p.offset),
        end: (await admin.fetchTopicOffsets(topic)).map((o) => o.high),
      })),
    );
  }

  const flags = () =>
    h.ds.query<{ topic: string; caught_up: boolean; read: boolean }[]>(
      `SELECT topic, caught_up, max_event_at > '-infinity' AS read FROM stream_watermarks ORDER BY topic`,
    );

  it('decides a DETRACTOR live; the partitions are caught up and committed to the log end', async () => {
    const t = config.topics;
    const [wr, cu, sv] = history();
    await inTransaction(
      [
        { topic: t.warranty, messages: [message(wr)] },
        { topic: t.service, messages: [message(cu), message(sv)] },
      ],
      true,
    );
    await h.startConsumer();
    await waitFor(
      'DETRACTOR decided',
      async () =>
        (await h.ds.query(`SELECT count(*)::int AS n FROM decisions WHERE reason_code = 'DETRACTOR'`))[0]
          .n === 1,
      20_000,
    );
    await waitFor('offsets at the log end', async () => {
      const o = await offsets([t.service, t.warranty]);
      return o.every((x) => x.committed[0] === x.end[0]);
    });
    expect(await offsets([t.service, t.warranty])).toEqual([
      { topic: t.service, committed: ['3'], end: ['3'] }, // 2 messages + the commit marker
      { topic: t.warranty, committed: ['2'], end: ['2'] },
    ]);
    expect(await flags()).toEqual(
      [
        { topic: t.service, caught_up: true, read: true },
        { topic: t.telematics, caught_up: true, read: false }, // empty
        { topic: t.warranty, caught_up: true, read: true },
      ].sort((a, b) => (a.topic < b.topic ? -1 : 1)),
    );
  });

  it('a partition holding only an aborted transaction (never handed over) is caught up and committed to its end', async () => {
    const t = config.topics;
    const [wr, cu, sv] = history();
    await inTransaction([{ topic: t.warranty, messages: [message(wr)] }], false);
    await h.producer.send({ topic: t.service, acks: -1, messages: [message(cu), message(sv)] });
    const topics = inputTopics(t);
    await registerPartitions(h.ds, await listPartitions(admin, topics)); // warranty: has records, not read yet
    const logger = createLogger('silent', {});
    const handle = createIngestHandler({
      ds: h.ds,
      producer: h.producer,
      metrics: new Metrics(false),
      logger,
      topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
      dlqTopicOf: dlqTopic,
      risk: h.risk,
    });
    const consumer = new BatchConsumer(h.kafka, {
      groupId: config.kafka.groupId,
      topics,
      handle,
      onCaughtUp: handle.caughtUp,
      logger,
    });
    own.push(consumer);
    await consumer.start();
    await waitFor('warranty caught up', async () => (await flags()).every((f) => f.caught_up), 30_000);
    expect(await flags()).toEqual(
      [
        { topic: t.service, caught_up: true, read: true },
        { topic: t.telematics, caught_up: true, read: false },
        { topic: t.warranty, caught_up: true, read: false }, // nothing read in it: it holds no time back
      ].sort((a, b) => (a.topic < b.topic ? -1 : 1)),
    );
    await waitFor('warranty committed', async () => (await offsets([t.warranty]))[0].committed[0] === '2');
    expect(await offsets([t.service, t.warranty])).toEqual([
      { topic: t.service, committed: ['2'], end: ['2'] },
      { topic: t.warranty, committed: ['2'], end: ['2'] }, // the aborted message + the abort marker
    ]);
  });
});
