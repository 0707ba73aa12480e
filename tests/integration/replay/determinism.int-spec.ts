import { Partitioners, type Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { dlqTopic, inputTopics, type AppConfig } from '@rp/config';
import { createDataSource, runMigrations } from '@rp/database';
import {
  createIngestHandler,
  DEFAULT_VALUE_SETTINGS,
  fireUpTo,
  loadRiskState,
  readWatermark,
  registerPartitions,
  type RawMessage,
  type RiskStepOptions,
} from '@rp/ingest';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { createLogger, Metrics } from '@rp/observability';
import { ReplayJob, silentProgress } from '@rp/replay';
import { DEFAULT_RULE_SET } from '@rp/risk';
import { produceSimulation, Rng, simulateFleet, type SimulationOptions } from '@rp/simulator';
import { readFromBeginning, testConfig, uniqueSuffix } from '../../support';

/**
 * A dealer's history from the simulator: two years of weekly telematics, work orders, parts sales, surveys,
 * complaints, extended warranties, machines sold on to other customers, and enough customers buying again
 * and again for the BG/NBD model (and ALIVE_PROBABILITY_DROP).
 */
const SIM: SimulationOptions = {
  seed: 3,
  machines: 60,
  start: '2023-01-01',
  months: 24,
  historyMonths: 12,
  snapshotDays: 7,
  dealerId: 'det',
};

interface Message {
  topic: string;
  partition: number;
  message: RawMessage;
}

/** Every message of the topics, each once (a consumer group may hand a message out twice), in offset order. */
async function readAll(kafka: Kafka, topics: string[], expected: number): Promise<Message[]> {
  const seen = new Map<string, Message>();
  for (const { topic, partition, message: m } of await readFromBeginning(kafka, topics, expected)) {
    const { key, value, headers, offset, timestamp } = m;
    seen.set(`${topic}:${partition}:${offset}`, {
      topic,
      partition,
      message: { key, value, headers, offset, timestamp },
    });
  }
  return [...seen.values()].sort(
    (a, b) =>
      a.topic.localeCompare(b.topic) ||
      a.partition - b.partition ||
      Number(BigInt(a.message.offset) - BigInt(b.message.offset)),
  );
}

/**
 * The live ingest handler fed by hand, as a very different consumer would: batches of 1 to 80 messages
 * (mostly a few), from partitions picked at random (one to three at once, sharing a transaction as a
 * kafkajs fetch's batches do), so the watermark advances in small uneven steps and timers fire in many
 * small sweeps (with `sweepLagMs` 0), with some partitions far ahead of others. Then the last sweep, as a
 * replay ends. Returns how many batches it took.
 */
async function feedInTinyBatches(
  config: AppConfig,
  ds: DataSource,
  messages: Message[],
  risk: RiskStepOptions,
): Promise<number> {
  const partitions = new Map<string, Message[]>();
  for (const m of messages) {
    const key = `${m.topic}:${m.partition}`;
    partitions.set(key, [...(partitions.get(key) ?? []), m]);
  }
  await registerPartitions(
    ds,
    [...partitions.values()].map((l) => ({ topic: l[0].topic, partition: l[0].partition, empty: false })),
  );
  const t = config.topics;
  const handle = createIngestHandler({
    ds,
    metrics: new Metrics(false),
    topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
    dlqTopicOf: dlqTopic,
    maxFutureSkewMs: config.ingest.maxFutureSkewMs,
    risk,
    rejectedSink: () => Promise.reject(new Error('the simulator produced an invalid event')),
  });
  const rng = Rng.seeded(7);
  const next = new Map([...partitions.keys()].map((k) => [k, 0]));
  let batches = 0;
  for (;;) {
    const open = [...partitions.keys()].filter((k) => next.get(k)! < partitions.get(k)!.length);
    if (open.length === 0) break;
    // One to three partitions handed over together, as a kafkajs fetch does (they share a transaction).
    const keys = new Set(Array.from({ length: 1 + Math.floor(rng.next() * 3) }, () => rng.pick(open)));
    const handed = [...keys].map((key) => {
      const list = partitions.get(key)!;
      const from = next.get(key)!;
      const batch = list.slice(from, from + 1 + Math.floor(rng.next() ** 3 * 80));
      next.set(key, from + batch.length);
      return handle({
        topic: batch[0].topic,
        partition: batch[0].partition,
        messages: batch.map((m) => m.message),
        caughtUp: from + batch.length === list.length,
        heartbeat: () => Promise.resolve(),
      });
    });
    await Promise.all(handed);
    batches += handed.length;
  }
  const watermark = await readWatermark(ds, risk.topics, risk.allowedLatenessMs);
  while (watermark !== null && (await ds.transaction((em) => fireUpTo(em, watermark, risk))) > 0) {
    /* until nothing is due */
  }
  return batches;
}

interface DecisionRow {
  decision_id: string;
  customer_id: string;
  serial_number: string | null;
  reason_code: string;
  episode: string;
  detected_at: Date;
  message: string;
  evidence_event_ids: string[];
  priority: string;
}

const decisions = (ds: DataSource, schema: string): Promise<DecisionRow[]> =>
  ds.query<DecisionRow[]>(
    `SELECT decision_id, customer_id, serial_number, reason_code, episode, detected_at, message,
            evidence_event_ids, priority::text FROM ${schema}.decisions ORDER BY decision_id`,
  );

/** Decisions found by one run only, and those both found but recorded differently. */
function differences(a: DecisionRow[], b: DecisionRow[]) {
  const inA = new Map(a.map((d) => [d.decision_id, d]));
  const inB = new Map(b.map((d) => [d.decision_id, d]));
  return {
    onlyReplay: a.filter((d) => !inB.has(d.decision_id)),
    onlyTiny: b.filter((d) => !inA.has(d.decision_id)),
    changed: a
      .filter((d) => inB.has(d.decision_id) && JSON.stringify(d) !== JSON.stringify(inB.get(d.decision_id)))
      .map((d) => ({ replay: d, tiny: inB.get(d.decision_id) })),
  };
}

const suppressions = (ds: DataSource, schema: string) =>
  ds.query<{ suppression_id: string; reason_code: string; since: Date; detected_at: Date }[]>(
    `SELECT suppression_id, reason_code, since, detected_at FROM ${schema}.suppressions ORDER BY suppression_id`,
  );

/**
 * Same events in, same decisions out, however they are batched: one simulated history goes through the
 * pipeline twice — by the replay command (Kafka's batches, two partitions at a time) and by the same ingest
 * handler fed tiny batches of randomly interleaved partitions — and both must decide exactly alike.
 */
describe('determinism: the same events decide alike whatever the batching', () => {
  const config = testConfig({ INGEST_CONCURRENCY: '2' });
  const logger = createLogger('silent');
  const name = `det_${uniqueSuffix()}`;
  const replaySchema = `replay_${name}`;
  const tinySchema = `${config.database.schema}_tiny`;
  const risk: RiskStepOptions = {
    engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
    topics: inputTopics(config.topics),
    allowedLatenessMs: config.risk.allowedLatenessMs,
  };
  let kafka: Kafka;
  let ds: DataSource;
  let tiny: DataSource;
  let produced = 0;
  /** Messages in the topics. */
  let total = 0;

  beforeAll(async () => {
    kafka = createKafka(config.kafka, logger);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topicSpecs(config.topics));
    // One send at a time, idempotent: with several sends in flight Kafka appended a partition's batches out
    // of order (events months older than their predecessors, far beyond the allowed lateness determinism
    // relies on), and a retried send could append a batch twice.
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const { telematics, warranty, service } = config.topics;
    const counts = await produceSimulation(
      producer,
      simulateFleet(SIM),
      { telematics, warranty, service },
      { maxInFlight: 1 },
    );
    await producer.disconnect();
    produced = counts.telematics + counts.warranty + counts.service;
    for (const topic of inputTopics(config.topics)) {
      for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high);
    }
    await admin.disconnect();
    ds = createDataSource({ ...config.database, poolSize: 2 });
    await ds.initialize();
    tiny = createDataSource({ ...config.database, schema: tinySchema, poolSize: 2 });
    await tiny.initialize();
    await runMigrations(tiny);
  });

  afterAll(async () => {
    await tiny?.destroy();
    for (const s of [replaySchema, tinySchema]) await ds?.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await ds?.destroy();
  });

  it('a replay and a tiny-batch feed of one history record identical decisions and suppressions', async () => {
    const replay = await new ReplayJob(
      { config, kafka, logger, progress: silentProgress },
      {
        name,
        kinds: ['telematics', 'warranty', 'service'],
        from: { kind: 'beginning' },
        to: { kind: 'end' },
        ruleSet: DEFAULT_RULE_SET,
      },
    ).run();
    expect(total).toBe(produced);
    expect(replay.run.status).toBe('complete');
    expect(replay.handled).toBe(total);

    const messages = await readAll(kafka, inputTopics(config.topics), total);
    expect(messages).toHaveLength(total);
    // Sweeping whatever is due at every batch (no lag), as a live consumer does: many small sweeps, each
    // evaluating a few instants, against the replay's few long ones (180 days of instants per customer).
    const batches = await feedInTinyBatches(config, tiny, messages, { ...risk, sweepLagMs: 0 });
    expect(batches).toBeGreaterThan(total / 40); // ~20 messages a batch on average; the replay's are of 2 MiB

    // The history holds what makes decisions depend on what is known when: sales, covers bought later, drops.
    const [{ sales, covers }] = await ds.query<{ sales: number; covers: number }[]>(
      `SELECT (SELECT count(*)::int FROM ${replaySchema}.ownership_history) AS sales,
              (SELECT count(*)::int FROM ${replaySchema}.warranties WHERE contract_id <> 'standard'
                  AND starts_at IS NOT NULL) AS covers`,
    );
    expect(sales).toBeGreaterThan(0);
    expect(covers).toBeGreaterThan(0);

    const byReplay = await decisions(ds, replaySchema);
    const byTiny = await decisions(ds, tinySchema);
    expect(byReplay.length).toBeGreaterThan(100);
    const alive = byReplay.filter((d) => d.reason_code === 'ALIVE_PROBABILITY_DROP');
    expect(alive.length).toBeGreaterThan(0);
    // The differences first, row by row (readable when it fails), then the whole sets.
    expect(differences(byReplay, byTiny)).toEqual({ onlyReplay: [], onlyTiny: [], changed: [] });
    expect(byTiny).toEqual(byReplay);
    expect(await suppressions(ds, tinySchema)).toEqual(await suppressions(ds, replaySchema));
  });
});
