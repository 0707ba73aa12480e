/**
 * Child process of `npm run bench:ingest`: the full ingest path (BatchConsumer + createIngestHandler) into
 * a fresh migrated schema, so its memory is measured apart from the producer and the raw consumer.
 * Configured by the environment (topics, DATABASE_SCHEMA, KAFKA_GROUP_ID) plus BENCH_EVENTS and
 * BENCH_RULES; reports over IPC and waits for the parent's "exit" (so the parent can read VmHWM).
 */
import { dlqTopic, inputTopics, loadConfig, type AppConfig } from '@rp/config';
import { createDataSource, runMigrations } from '@rp/database';
import {
  BatchConsumer,
  createIngestHandler,
  type BatchContext,
  DEFAULT_VALUE_SETTINGS,
  INGEST_PRODUCER,
  loadRiskState,
  readWatermark,
  RiskRuntime,
  timersDueBy,
  type RiskStepOptions,
} from '@rp/ingest';
import { createKafka } from '@rp/kafka';
import { createLogger, Metrics } from '@rp/observability';
import { DEFAULT_RULE_SET } from '@rp/risk';
import type { DataSource } from 'typeorm';
import { timeStatements, type StatementStat } from './sql-timing';

export type WorkerMessage =
  | { type: 'started' }
  | {
      type: 'done';
      count: number;
      seconds: number;
      /** Wall-clock (epoch ms) of the first message seen and the last event applied. */
      firstAt: number;
      lastAt: number;
      processed: number;
      /** Row counts of a few tables at the end (data-quality flags, risk output). */
      rows: Record<string, number>;
      batches: number;
      handlerMs: number;
      /** Consumer crashes (each followed by a restart). */
      crashes: number;
      statements: StatementStat[];
      /** The same, up to the event that crossed half of the run. */
      firstHalf: StatementStat[];
    }
  | { type: 'error'; message: string; count?: number; statements?: StatementStat[] };

const send = (m: WorkerMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function riskOptions(config: AppConfig): RiskStepOptions {
  return {
    engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
    topics: inputTopics(config.topics),
    allowedLatenessMs: 3_600_000,
    telematicsEvaluationMs: config.risk.telematicsEvaluationMs,
  };
}

/** Resolves once no timer is due at the watermark any more (the detection loop fires them). */
async function drained(ds: DataSource, risk: RiskStepOptions): Promise<void> {
  for (;;) {
    const at = await readWatermark(ds, risk.topics, risk.allowedLatenessMs);
    if (at === null) return;
    if (!(await timersDueBy(ds, at))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const expected = Number(process.env.BENCH_EVENTS);
  const label = process.env.BENCH_LABEL ?? 'ingest';
  const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn', { bench: label });
  const kafka = createKafka(config.kafka, logger);
  const producer = kafka.producer(INGEST_PRODUCER); // as the ingest role
  await producer.connect();
  const ds = createDataSource({ ...config.database, applicationName: `bench-${label}` });
  await ds.initialize();
  await runMigrations(ds);
  const timing = timeStatements(ds);
  timing.reset();
  const t = config.topics;
  const metrics = new Metrics(false);
  const risk = process.env.BENCH_RULES === '1' ? riskOptions(config) : undefined;
  // As in the ingest role: caught-up batches hand their due timers to the background detection loop (two
  // sweeps side by side); lagging ones sweep inline. Time never follows the wall clock here (event time only)
  // and decisions stay in the outbox (not published to Kafka).
  const runtime = risk
    ? new RiskRuntime({
        ds,
        decisionsTopic: t.decisions,
        step: risk,
        quietMs: Number.MAX_SAFE_INTEGER,
        logger,
      })
    : undefined;
  const handle = createIngestHandler({
    ds,
    producer,
    metrics,
    topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
    dlqTopicOf: dlqTopic,
    maxFutureSkewMs: config.ingest.maxFutureSkewMs,
    risk,
    onDue: runtime && (() => runtime.kick()),
  });
  runtime?.start();

  let count = 0;
  let batches = 0;
  let handlerMs = 0;
  let first = 0;
  let firstAt = 0;
  let last = 0;
  let lastAt = 0;
  let firstHalf: StatementStat[] = [];
  let crashes = 0;
  let consumer: BatchConsumer | undefined;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  /** Events applied or dead-lettered once (a batch redelivered after a crash is not counted twice). */
  const settled = async () => {
    const { values } = await metrics.counter('rp_ingest_events_total', '').get();
    return values.filter((v) => v.labels.outcome !== 'duplicate').reduce((a, v) => a + v.value, 0);
  };
  const onBatch = async (b: BatchContext) => {
    const started = performance.now();
    if (first === 0) [first, firstAt] = [started, Date.now()];
    await handle(b);
    const ms = performance.now() - started;
    handlerMs += ms;
    if (ms > 5_000) {
      const where = `${b.messages.length} events of ${b.topic} partition ${b.partition}`;
      console.log(`  [${label}] slow batch: ${(ms / 1000).toFixed(1)} s for ${where} (session timeout 10 s)`);
    }
    batches++;
    count = await settled();
    if (firstHalf.length === 0 && count >= expected / 2) firstHalf = timing.stats().map((s) => ({ ...s }));
    if (count >= expected && last === 0) {
      last = performance.now();
      lastAt = Date.now();
      done();
    }
  };
  // Like the ingest role: a consumer kafkajs gave up on is restarted after 5 s (the batch in flight is
  // redelivered, and only counted once).
  const startConsumer = async (): Promise<void> => {
    consumer = new BatchConsumer(kafka, {
      groupId: config.kafka.groupId,
      topics: inputTopics(t),
      partitionsConcurrently: config.ingest.concurrency,
      logger,
      handle: onBatch,
      onFatal: (err) => {
        console.log(
          `  [${label}] consumer crashed (${err.message}), restarting it in 5 s as the ingest role does`,
        );
        if (++crashes > 20) {
          const failure = { type: 'error' as const, message: err.message, count, statements: timing.stats() };
          void send(failure).then(() => process.exit(1));
        } else setTimeout(() => void startConsumer(), 5_000);
      },
    });
    await consumer.start();
  };
  await startConsumer();
  await send({ type: 'started' });
  const progress = setInterval(() => {
    const s = first ? (performance.now() - first) / 1000 : 0;
    const rss = process.memoryUsage().rss / 1_048_576;
    console.log(
      `  [${label}] ${fmt(count)} / ${fmt(expected)} events applied (${((100 * count) / expected).toFixed(1)} %),` +
        ` ${fmt(s ? count / s : 0)} events/s, ${batches} batches, rss ${fmt(rss)} MB`,
    );
  }, 5_000);
  await finished;
  if (risk) {
    // Detection is done when no timer is due at the watermark: the sweeps owed after the last event count.
    const drainStarted = performance.now();
    await drained(ds, risk);
    [last, lastAt] = [performance.now(), Date.now()];
    const took = ((last - drainStarted) / 1000).toFixed(1);
    console.log(`  [${label}] due timers fired after the last event in ${took} s`);
  }
  await runtime?.stop();
  const statements = timing.stats();
  clearInterval(progress);
  await consumer?.stop();
  const tables = [
    'processed_events',
    'data_quality_flags',
    'decisions',
    'suppressions',
    'risk_timers',
    'outbox',
  ];
  const [counts] = await ds.query<Record<string, string>[]>(
    `SELECT ${tables.map((x) => `(SELECT count(*) FROM ${x}) AS ${x}`).join(', ')}`,
  );
  const rows = Object.fromEntries(tables.map((x) => [x, Number(counts[x])]));
  const seconds = (last - first) / 1000;
  await send({
    type: 'done',
    count,
    seconds,
    firstAt,
    lastAt,
    processed: rows.processed_events,
    rows,
    batches,
    handlerMs,
    crashes,
    statements,
    firstHalf,
  });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  await producer.disconnect();
  await ds.destroy();
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    await send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  },
);
